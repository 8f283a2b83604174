/** Small DOM helpers: elements built with textContent only, never from HTML strings. */

/** `el('td', {class: 'num'}, 'text', child…)`. */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value)
    else node.setAttribute(name, value === true ? '' : String(value))
  }
  for (const child of children) {
    if (child === undefined || child === null) continue
    node.append(child instanceof Node ? child : document.createTextNode(String(child)))
  }
  return node
}

/** Replaces an element's children. */
export function fill(parent, children) {
  parent.replaceChildren(...children)
}

/** Sets the text of the element with this id (when it exists). */
export function setText(id, text) {
  const node = document.getElementById(id)
  if (node) node.textContent = text
}
