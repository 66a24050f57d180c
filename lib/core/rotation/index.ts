export * from './errors.js';
export * from './stages.js';
export * from './password-rules.js';
export * from './secret-value.js';
export * from './rotation-event.js';
