import { describe, expect, test } from 'bun:test'
import { renderPlot } from './render-plot.ts'
import { xmlProblem } from './xml-problem.ts'

describe('xmlProblem', () => {
  test('accepts a well-formed document with attributes, entities and self-closing tags', () => {
    expect(
      xmlProblem(
        '<?xml version="1.0"?><svg a="1" b=\'x &amp; y\'><g><path d="M0"/></g>a &lt; b</svg>',
      ),
    ).toBeUndefined()
  })
  test.each([
    ['<svg><g></svg>', '</svg> closes <g>'],
    ['<svg a=1></svg>', 'malformed attributes'],
    ['<svg a="1" a="2"></svg>', 'repeated'],
    ['<svg>a & b</svg>', 'bare &'],
    ['<svg></svg><svg></svg>', '2 root elements'],
    ['<svg>', 'never closed'],
    ['hello <svg></svg>', 'outside the root'],
  ])('rejects %s', (document, problem) => {
    expect(xmlProblem(document)).toContain(problem)
  })
  test('finds nothing wrong with a plot rendered by vega', async () => {
    const svg = await renderPlot({
      data: {
        values: [
          { x: 1, y: 2, s: 'a & b' },
          { x: 2, y: 3, s: '<c>' },
        ],
      },
      mark: 'line',
      encoding: {
        x: { field: 'x', type: 'quantitative' },
        y: { field: 'y', type: 'quantitative' },
        color: { field: 's', type: 'nominal' },
      },
    })
    expect(svg.startsWith('<svg')).toBe(true)
    expect(xmlProblem(svg)).toBeUndefined()
  })
})
