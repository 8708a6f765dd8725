// Everything that reaches the page from a user's files (names, YAML, CSV cells, error messages)
// goes through escapeHtml, so a crafted experiment cannot inject markup into its own report.

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITIES[char]);
}
