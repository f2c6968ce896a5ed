import Foundation
import Testing

import Experiments
@testable import Reporting

@Suite("Markdown subset to XHTML")
struct MarkdownRendererTests {
  @Test("Headings, shifted by the offset and capped at h6")
  func headings() {
    #expect(MarkdownRenderer.html("# Title") == "<h1>Title</h1>")
    #expect(MarkdownRenderer.html("## Sub ##", headingOffset: 1) == "<h3>Sub</h3>")
    #expect(MarkdownRenderer.html("### Three\n#### Four", headingOffset: 3) == "<h6>Three</h6>\n<h6>Four</h6>")
    #expect(MarkdownRenderer.html("#hashtag") == "<p>#hashtag</p>")
    #expect(MarkdownRenderer.firstHeading("intro\n\n## The **α** sweep\n# Later") == "The α sweep")
    #expect(MarkdownRenderer.firstHeading("```\n# not a heading\n```\ntext") == nil)
  }

  @Test("Paragraphs join their lines; blank lines separate them")
  func paragraphs() {
    #expect(MarkdownRenderer.html("one\ntwo\n\nthree") == "<p>one two</p>\n<p>three</p>")
    #expect(MarkdownRenderer.html("\r\nline\r\n") == "<p>line</p>")
  }

  @Test("Bold and code spans; unpaired markers stay literal; code is not interpreted")
  func inline() {
    #expect(MarkdownRenderer.inline("a **b** `c`") == "a <strong>b</strong> <code>c</code>")
    #expect(MarkdownRenderer.inline("**`x` holds**") == "<strong><code>x</code> holds</strong>")
    #expect(MarkdownRenderer.inline("`**not bold**`") == "<code>**not bold**</code>")
    #expect(MarkdownRenderer.inline("2 ** 3") == "2 ** 3")
    #expect(MarkdownRenderer.inline("a `b") == "a `b")
    #expect(MarkdownRenderer.inline("``a ` b``") == "<code>a ` b</code>")
    #expect(MarkdownRenderer.inline("\\*\\*x\\*\\*") == "**x**")
    #expect(MarkdownRenderer.inline("<b>&amp;</b> \"q\"") == "&lt;b&gt;&amp;amp;&lt;/b&gt; &quot;q&quot;")
  }

  @Test("Bullet and numbered lists, with continuation lines")
  func lists() {
    let html = MarkdownRenderer.html("Intro:\n- first **x**\n- second\n  continued\n\n1. one\n2. two\n- back")
    #expect(html == """
      <p>Intro:</p>
      <ul><li>first <strong>x</strong></li><li>second continued</li></ul>
      <ol><li>one</li><li>two</li></ol>
      <ul><li>back</li></ul>
      """)
    #expect(MarkdownRenderer.html("**bold** start") == "<p><strong>bold</strong> start</p>")
    #expect(MarkdownRenderer.html("text\n\n---\n\nmore") == "<p>text</p>\n<hr/>\n<p>more</p>")
  }

  @Test("Pipe tables with alignment, escaped pipes and code cells")
  func tables() {
    let markdown = """
      | setting | α | ε/‖θ̂‖ | note |
      |---|---:|:---:|:--|
      | linear | 1 | 1.02e-4 | `a|b` |
      | two-layer | 0.5 | **0.063** | x \\| y |
      | short |
      after
      """
    let html = MarkdownRenderer.html(markdown)
    #expect(html.hasPrefix("<table>\n<thead><tr><th>setting</th><th style=\"text-align:right\">α</th>"))
    #expect(html.contains("<th style=\"text-align:center\">ε/‖θ̂‖</th><th style=\"text-align:left\">note</th>"))
    #expect(html.contains("<tr><td>linear</td><td style=\"text-align:right\">1</td>"
                          + "<td style=\"text-align:center\">1.02e-4</td><td style=\"text-align:left\"><code>a|b</code></td></tr>"))
    #expect(html.contains("<td style=\"text-align:center\"><strong>0.063</strong></td><td style=\"text-align:left\">x | y</td>"))
    #expect(html.contains("<tr><td>short</td><td style=\"text-align:right\"></td><td style=\"text-align:center\"></td>"
                          + "<td style=\"text-align:left\"></td></tr>"))
    #expect(html.hasSuffix("</tbody>\n</table>\n<p>after</p>"))
    #expect(XMLCheck.error("<div>" + html + "</div>") == nil)
    // A separator row of another width is no table.
    #expect(!MarkdownRenderer.html("| a | b |\n|---|\n| 1 | 2 |").contains("<table>"))
  }

  @Test("Fenced code blocks are escaped verbatim")
  func codeBlocks() {
    #expect(MarkdownRenderer.html("```sh\nunlearn report <dir> & **x**\n```\nafter")
              == "<pre><code>unlearn report &lt;dir&gt; &amp; **x**</code></pre>\n<p>after</p>")
  }

  @Test("A realistic summary is well-formed XHTML")
  func wellFormed() {
    let summary = """
      # Sweep over α

      Setting: `isotropic`, m = 20, **10 seeds**. Verdict: **reproduced** <ok> & done.

      ## Results

      | α | ε/‖θ̂‖ (mean ± std) |
      |---:|---:|
      | 0.5 | 1.2e-2 ± 3e-3 |
      | 1 | 1.0e-4 ± 2e-5 |

      ### Notes
      - unpaired ** marker
      - `code with <tags>`
      """
    #expect(XMLCheck.error("<div>" + MarkdownRenderer.html(summary, headingOffset: 1) + "</div>") == nil)
  }
}
