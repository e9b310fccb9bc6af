/**
 * A minimal well-formedness check for the SVG the review writes: one root element, every tag
 * closed in order, attributes quoted, no stray `<` or `&` in text. Enough to catch broken output
 * without an XML library.
 */
export function checkWellFormedXml(text: string): void {
    const stack: string[] = [];
    let roots = 0;
    const tag = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/y;
    let i = 0;
    while (i < text.length) {
        const lt = text.indexOf("<", i);
        const chunk = lt === -1 ? text.slice(i) : text.slice(i, lt);
        if (/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(chunk)) {
            throw new Error(`unescaped & near offset ${i}`);
        }
        if (chunk.trim() && stack.length === 0) {
            throw new Error(`text outside the root element near offset ${i}`);
        }
        if (lt === -1) break;
        if (text.startsWith("<?xml", lt)) {
            i = text.indexOf("?>", lt) + 2;
            continue;
        }
        tag.lastIndex = lt;
        const m = tag.exec(text);
        if (!m) throw new Error(`malformed tag at offset ${lt}: ${text.slice(lt, lt + 40)}`);
        const [whole, closing, name, , selfClosing] = m;
        if (closing) {
            const open = stack.pop();
            if (open !== name) throw new Error(`</${name}> closes <${open}> at offset ${lt}`);
        } else {
            if (stack.length === 0) roots++;
            if (!selfClosing) stack.push(name);
        }
        i = lt + whole.length;
    }
    if (stack.length > 0) throw new Error(`unclosed <${stack.join("> <")}>`);
    if (roots !== 1) throw new Error(`expected one root element, found ${roots}`);
}
