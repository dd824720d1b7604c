/**
 * The files the README shows a user, as written there: every fenced block preceded by
 * `<!-- consumer: <path> -->` (so the consumer tests build their scratch projects from the README itself, and a
 * README example that stops working fails a test).
 */
import * as fs from 'fs';
import * as path from 'path';

export function readmeFiles(readme = path.resolve(__dirname, '../../README.md')): Record<string, string> {
  const text = fs.readFileSync(readme, 'utf8');
  const files: Record<string, string> = {};
  for (const m of text.matchAll(/<!-- consumer: (\S+) -->\n```[a-z]*\n([\s\S]*?)```/g)) files[m[1]] = m[2];
  return files;
}
