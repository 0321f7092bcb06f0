import { countTokens as countO200k } from 'gpt-tokenizer';

/**
 * Token counts for answers whose upstream reported no usage (servers without usage, aborted
 * streams). o200k_base is the tokenizer of current OpenAI models; for other model families
 * it is an estimate, which is all a missing usage report allows.
 */
export const countTokens = (text: string): number => (text === '' ? 0 : countO200k(text));
