import { ValidationError } from "../../lib/core/validation";

/** Runs `fn` and returns the ValidationError it throws. */
export function validationErrorOf(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error("expected a ValidationError");
}
