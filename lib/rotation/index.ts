export * from './ports.js';
export * from './errors.js';
export * from './rotation-steps.js';
export * from './random-password-strategy.js';
export { createRotationHandler, type RotationHandler, type RotationHandlerDeps } from './handler.js';
