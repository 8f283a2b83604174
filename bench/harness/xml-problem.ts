/**
 * A strict well-formedness check of an XML document (what the benchmark
 * smoke test asks of its SVG plots, without a DOM library): one root element,
 * every tag closed in order, attributes quoted and not repeated, only the
 * five predefined or numeric entities, no stray `<` or `&`. Returns the first
 * problem found, or undefined for a well-formed document.
 */
const NAME = '[A-Za-z_][\\w.:-]*'
const ATTRIBUTE = new RegExp(`\\s+(${NAME})\\s*=\\s*("[^"<]*"|'[^'<]*')`, 'y')
const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g

function textProblem(text: string): string | undefined {
  if (text.includes('<')) return 'a stray < in text'
  if (text.replace(ENTITY, '').includes('&')) return 'an undefined entity or a bare &'
  return undefined
}

function tagProblem(tag: string, stack: string[]): string | undefined {
  const close = new RegExp(`^</(${NAME})\\s*>$`).exec(tag)
  if (close) {
    const open = stack.pop()
    return open === close[1] ? undefined : `</${close[1]}> closes <${open ?? 'nothing'}>`
  }
  const start = new RegExp(`^<(${NAME})`).exec(tag)
  if (!start) return `a malformed tag ${tag.slice(0, 40)}`
  const selfClosing = tag.endsWith('/>')
  const body = tag.slice(start[0].length, selfClosing ? -2 : -1)
  const seen = new Set<string>()
  ATTRIBUTE.lastIndex = 0
  let at = 0
  for (let m = ATTRIBUTE.exec(body); m; m = ATTRIBUTE.exec(body)) {
    if (seen.has(m[1] as string)) return `attribute ${m[1]} repeated on <${start[1]}>`
    seen.add(m[1] as string)
    const problem = textProblem((m[2] as string).slice(1, -1))
    if (problem) return `${problem} in attribute ${m[1]}`
    at = ATTRIBUTE.lastIndex
  }
  if (body.slice(at).trim() !== '')
    return `malformed attributes on <${start[1]}>: ${body.slice(at, at + 30)}`
  if (!selfClosing) stack.push(start[1] as string)
  return undefined
}

export function xmlProblem(document: string): string | undefined {
  const source = document.replace(/^<\?xml[^?]*\?>/, '').replace(/<!--[\s\S]*?-->/g, '')
  const stack: string[] = []
  let roots = 0
  let last = 0
  for (const match of source.matchAll(/<[^>]*>/g)) {
    const text = source.slice(last, match.index)
    if (stack.length === 0 && text.trim() !== '') return 'text outside the root element'
    const atTop = stack.length === 0
    const problem = textProblem(text) ?? tagProblem(match[0], stack)
    if (problem) return problem
    if (atTop && !match[0].startsWith('</')) roots++
    last = (match.index ?? 0) + match[0].length
  }
  if (source.slice(last).trim() !== '') return 'text after the root element'
  if (stack.length > 0) return `<${stack.at(-1)}> is never closed`
  if (roots !== 1) return `${roots} root elements (one expected)`
  return undefined
}
