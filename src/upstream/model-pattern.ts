/** Model names in config: exact, or a prefix ending in `*` (`*` alone matches any model). */
export function matchesModel(pattern: string, model: string): boolean {
  return pattern.endsWith('*') ? model.startsWith(pattern.slice(0, -1)) : pattern === model;
}

export const isExactModel = (pattern: string): boolean => !pattern.endsWith('*');
