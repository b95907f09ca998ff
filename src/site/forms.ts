/**
 * The state of a form after it was sent without JavaScript: the action's result, its errors
 * (per field, as message keys), and the values that were sent, so nothing typed is lost.
 */
import type { AstroGlobal } from 'astro';
import { formErrorsOf, type FormErrors } from '../actions/errors.ts';

export interface FormState<T> {
  /** The action's data when it succeeded. */
  data: T | undefined;
  errors: FormErrors;
  /** What was sent, for refilling the form; null when nothing was sent. */
  sent: FormData | null;
  failed: boolean;
}

/** Call as `formState(Astro, Astro.getActionResult(actions.x))`: the result keeps its type. */
export async function formState<T>(Astro: AstroGlobal, result: { data?: T; error?: unknown } | undefined): Promise<FormState<T>> {
  let sent: FormData | null = null;
  if (result && Astro.request.method === 'POST') {
    try {
      sent = await Astro.request.clone().formData();
    } catch {
      sent = null;
    }
  }
  return { data: result?.error ? undefined : result?.data, errors: formErrorsOf(result?.error), sent, failed: Boolean(result?.error) };
}

/** A sent value as text, or the fallback when the form was not sent. */
export function sentValue(sent: FormData | null, name: string, fallback = ''): string {
  const value = sent?.get(name);
  return typeof value === 'string' ? value : fallback;
}
