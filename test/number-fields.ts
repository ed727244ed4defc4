import ts from 'typescript';

/** A class field that holds numbers but starts as `undefined`. */
export interface UninitializedNumberField {
  readonly file: string;
  readonly line: number;
  readonly name: string;
}

/**
 * Class fields typed `number` (or a union with `number`) that are not readonly and have no
 * initializer, in the TypeScript source `text`. Compiled as ES2022 class fields they start as
 * `undefined`, so V8 gives them a tagged representation: every fractional number stored in them
 * afterwards is a new heap allocation (`Portfolio.cash` cost one per step this way). Write
 * `x = 0` (or `Number.NaN`) instead.
 */
export function uninitializedNumberFields(file: string, text: string): UninitializedNumberField[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const found: UninitializedNumberField[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isClassLike(node)) {
      for (const member of node.members) {
        if (!ts.isPropertyDeclaration(member) || member.initializer !== undefined || member.type === undefined) continue;
        const modifiers = ts.getModifiers(member) ?? [];
        if (modifiers.some((m) => m.kind === ts.SyntaxKind.ReadonlyKeyword || m.kind === ts.SyntaxKind.DeclareKeyword || m.kind === ts.SyntaxKind.AbstractKeyword)) continue;
        if (!mentionsNumber(member.type)) continue;
        const { line } = source.getLineAndCharacterOfPosition(member.getStart(source));
        found.push({ file, line: line + 1, name: member.name.getText(source) });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function mentionsNumber(type: ts.TypeNode): boolean {
  if (type.kind === ts.SyntaxKind.NumberKeyword) return true;
  if (ts.isUnionTypeNode(type)) return type.types.some(mentionsNumber);
  if (ts.isParenthesizedTypeNode(type)) return mentionsNumber(type.type);
  return false;
}
