import { ConflictError, GenerationMismatchError, NotFoundError } from '../aws/store-errors.js';
import { ConflictApiError, NotFoundApiError, PreconditionFailedApiError } from './errors.js';

/** Runs a store call, turning the store's error family into the API's (404, 409, 412). */
export async function translateStoreErrors<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof GenerationMismatchError) throw new PreconditionFailedApiError(error.message, { cause: error });
    if (error instanceof NotFoundError) throw new NotFoundApiError(error.message, { cause: error });
    if (error instanceof ConflictError) throw new ConflictApiError(error.message, { cause: error });
    throw error;
  }
}
