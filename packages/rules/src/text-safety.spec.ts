import { describe, expect, it } from 'vitest';
import { guideInput } from '@osa-gitops/core';
import { unsafeTextReason } from './text-safety';
import { validateEnvironment } from './validate-environment';

// Issue 26, item 4: a `#jinja2:` header line was accepted (in a provider network's range); Ansible
// reads it as new Jinja delimiters for the rest of the string.
describe('UNSAFE_TEXT: Jinja environment overrides', () => {
  it('refuses #jinja2: anywhere in a string, as text without {{ would then be evaluated', () => {
    expect(unsafeTextReason("#jinja2:variable_start_string:'[%'")).toMatch(/#jinja2:/);
    expect(unsafeTextReason('x #jinja2:y')).toMatch(/#jinja2:/);
    expect(unsafeTextReason('# jinja2 is a template engine')).toBeUndefined();
  });

  it('at its path in a definition, whatever the field', () => {
    const input = guideInput();
    input.description =
      "#jinja2:variable_start_string:'[%',variable_end_string:'%]' [% lookup('pipe', 'id') %]";
    expect(validateEnvironment(input).issues.map((i) => [i.code, i.path])).toEqual([
      ['UNSAFE_TEXT', ['description']],
    ]);
  });
});
