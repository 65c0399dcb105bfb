package io.github.superresolve.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;

/**
 * The command-line tool's standard output and error, safe for a terminal: file names, model names and
 * texts from other people's files are printed in its lines, and a control character among them could
 * move the cursor, clear the screen, retitle the window or forge output. Below the tool's own text,
 * every control character except line feed, carriage return (the progress bar's) and tab is written as
 * an escape ({@code \u001b}); C1 controls in UTF-8 too. Messages built from such names are escaped
 * whole besides ({@link io.github.superresolve.io.Printable}), line breaks included.
 */
final class SafeTerminal extends FilterOutputStream {

    /** Whether the previous byte was 0xC2, the first byte of a UTF-8 encoded C1 control. */
    private boolean c2;

    SafeTerminal(OutputStream out) {
        super(out);
    }

    /** A print stream over a file descriptor (standard output or error), in the encoding Java gives that stream. */
    static PrintStream over(FileDescriptor fd, String encodingProperty) {
        String enc = System.getProperty(encodingProperty);
        Charset cs;
        try {
            cs = enc != null ? Charset.forName(enc) : Charset.defaultCharset();
        } catch (RuntimeException e) {
            cs = Charset.defaultCharset();
        }
        return new PrintStream(new SafeTerminal(new FileOutputStream(fd)), true, cs);
    }

    @Override
    public void write(int b) throws IOException {
        b &= 0xff;
        if (c2) {
            c2 = false;
            if (b >= 0x80 && b <= 0x9f) {
                out.write(escape(b));
                return;
            }
            out.write(0xc2);
        }
        if (b == 0xc2) {
            c2 = true;
            return;
        }
        if ((b < 0x20 && b != '\n' && b != '\r' && b != '\t') || b == 0x7f) out.write(escape(b));
        else out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) write(b[i]);
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    private static byte[] escape(int b) {
        return String.format("\\u%04x", b).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
