import { defineMiddleware } from 'astro:middleware';
import { getAppContext } from './app-context.ts';

/** Hands every page the process's app context (database, configuration). */
export const onRequest = defineMiddleware((context, next) => {
  context.locals.app = getAppContext();
  return next();
});
