/** Spellings of a subcommand that people (or attackers) type. */
export function spellings(name: string): string[] {
  const fullwidth = [...name].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join('');
  return [
    name,
    name.toUpperCase(),
    `"${name}"`,
    `'${name}'`,
    `\u201c${name}\u201d`,
    `\u2018${name}\u2019`,
    `\u00ab${name}\u00bb`,
    `${name[0]}"${name.slice(1)}"`,
    `${name.slice(0, 2)}''${name.slice(2)}`,
    fullwidth,
    `${name.slice(0, 3)}\u200b${name.slice(3)}`,
    `\u200d${name}\u2060`,
    `${name}\ufeff`,
    `\u202e${name}`,
    `${name},`,
    `${name}!`,
    `${name}.`,
    `${name}\u2026`,
    `"${name}",`,
  ];
}
