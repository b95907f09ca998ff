declare namespace App {
  interface Locals {
    app: import('./app-context.ts').AppContext;
  }
}
