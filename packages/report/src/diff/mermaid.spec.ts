import { describe, expect, it } from 'vitest';
import { escapeMarkdown, inlineCode } from '@osa-gitops/core';
import { mermaidText, publicPathFlowchart } from './mermaid';

describe('escaping user-derived text', () => {
  it('encodes Mermaid label breakers as entity codes', () => {
    expect(mermaidText('a"]-->b`<x>')).toBe('a#34;#93;--#62;b#96;#60;x#62;');
    const chart = publicPathFlowchart({ haproxyHosts: ['h"1'], bridge: 'br"] --> evil["x' });
    expect(chart).not.toContain('h"1');
    expect(chart).toContain('br#34;#93; --#62; evil#91;#34;x');
  });

  it('neutralises Markdown, HTML and mentions in inline text', () => {
    expect(escapeMarkdown('*a* <b> @team [x](y) `c`\nnext')).toBe(
      '\\*a\\* &lt;b&gt; &#64;team \\[x\\](y) \\`c\\` next',
    );
    expect(inlineCode('a`b')).toBe('``a`b``');
    expect(inlineCode('`x')).toBe('`` `x ``');
  });
});
