/** The inference endpoints Moat proxies, by the shape of their bodies and usage. */
export type EndpointKind = 'chat' | 'completions' | 'embeddings' | 'responses';

export const ENDPOINTS: Readonly<Record<string, EndpointKind>> = {
  '/v1/chat/completions': 'chat',
  '/v1/completions': 'completions',
  '/v1/embeddings': 'embeddings',
  '/v1/responses': 'responses',
};

/** Chat and completions streams carry usage only when asked with `stream_options`. */
export const needsUsageOption = (kind: EndpointKind): boolean => kind === 'chat' || kind === 'completions';
