/**
 * Markup that reached a report's text (an `<img onerror=...>` pasted from a web page, a `<script>`
 * block) is not prose: its words ("could", "plot", "arrested") must not decide whether the report
 * is an incident, and its punctuation must not split sentences. `blankMarkup` replaces tags, and
 * the contents of script and style elements and HTML comments, with spaces of the same length, so
 * every offset into the result is an offset into the original text (evidence spans stay valid).
 */
const BLOCKS = /<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>|<!--[\s\S]*?-->/gi;
const TAG = /<\/?[A-Za-z][^<>]{0,2000}>/g;

export function blankMarkup(text: string): string {
  if (!text.includes('<')) return text;
  return text.replace(BLOCKS, (m) => ' '.repeat(m.length)).replace(TAG, (m) => ' '.repeat(m.length));
}
