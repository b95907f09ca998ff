declare namespace App {
  interface Locals {
    app: import('./app-context.ts').AppContext;
    /** The signed-in person and their session; null for anonymous visitors. */
    auth: import('./auth/policy.ts').Auth | null;
  }
}
