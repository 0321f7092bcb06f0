export const num = (n: number): string => n.toLocaleString('en-US');
export const when = (ts: string | null): string => (ts ? ts.replace('T', ' ').slice(0, 16) : '-');
export const score = (n: number): string => n.toFixed(2);
export const esc = encodeURIComponent;
