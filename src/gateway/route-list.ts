import type { FastifyInstance } from 'fastify';

export interface RegisteredRoute {
  method: string;
  url: string;
}

const lists = new WeakMap<FastifyInstance, RegisteredRoute[]>();

/** Keeps every route the app registers from here on, so documents can be held to them. HEADs are Fastify's own copies of GETs. */
export function keepRouteList(app: FastifyInstance): void {
  const routes: RegisteredRoute[] = [];
  lists.set(app, routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push({ method, url: route.url });
  });
}

export const registeredRoutes = (app: FastifyInstance): readonly RegisteredRoute[] => lists.get(app) ?? [];
