package org.overparam.sweep.config;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A config file's bytes as text: UTF-8, strictly. A byte sequence that is not UTF-8 (a file saved as Latin-1, say)
 * is reported by its byte offset, line and value, where the JDK would only say "Input length = 1".
 */
final class ConfigText {
    private ConfigText() {
    }

    static String decode(byte[] bytes, Path path) throws ConfigException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            int offset = in.position();
            int line = 1;
            for (int i = 0; i < offset; i++) {
                line += bytes[i] == '\n' ? 1 : 0;
            }
            StringBuilder hex = new StringBuilder();
            for (int i = offset; i < Math.min(bytes.length, offset + result.length()); i++) {
                hex.append(hex.isEmpty() ? "" : " ").append(String.format(Locale.ROOT, "0x%02X", bytes[i] & 0xff));
            }
            throw new ConfigException("", String.format(Locale.ROOT, "config file %s is not valid UTF-8: byte %s at offset %d"
                    + " (line %d); save it as UTF-8", path, hex, offset, line));
        }
        decoder.flush(out);
        return out.flip().toString();
    }
}
