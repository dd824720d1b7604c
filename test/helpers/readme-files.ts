/**
 * The files the README shows a user, as written there: every fenced block preceded by
 * `<!-- consumer: <path> -->` (WeChat) or `<!-- consumer-tt: <path> -->` (Douyin; `sh` is the shell block) (so the consumer tests build their scratch projects from the README itself, and a
 * README example that stops working fails a test).
 */
import * as fs from 'fs';
import * as path from 'path';

export function readmeFiles(
  kind: 'consumer' | 'consumer-tt' = 'consumer',
  readme = path.resolve(__dirname, '../../README.md'),
): Record<string, string> {
  const text = fs.readFileSync(readme, 'utf8');
  const files: Record<string, string> = {};
  for (const m of text.matchAll(/<!-- (consumer(?:-tt)?): (\S+) -->\n```[a-z]*\n([\s\S]*?)```/g))
    if (m[1] === kind) files[m[2]] = m[3];
  return files;
}
