import type { ErrorObject } from 'ajv';

/** An Ajv standalone validate function: true when `data` conforms (defaults filled in place). */
export interface CompiledValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

export declare const validateServiceSpecSchema: CompiledValidator;
export declare const validateJobSpecSchema: CompiledValidator;
export declare const validateScaleRequestSchema: CompiledValidator;
export declare const validateRollbackRequestSchema: CompiledValidator;
export declare const validatePromoteRequestSchema: CompiledValidator;
