package io.orbita.delivery;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The independent verifier: Debian's python3-dkim (dkimpy), fed the public keys through its {@code dnsfunc}. Tests
 * call {@link #available()} and skip with a message where it is not installed.
 */
public final class DkimVerifier {

    private static final Path PYTHON = Path.of("/usr/bin/python3");

    private static final String SCRIPT = """
            import sys, dkim
            keys = {}
            for arg in sys.argv[1:]:
                name, txt = arg.split('=', 1)
                keys[name.encode()] = txt.encode()
            def dnsfunc(name, timeout=5):
                return keys.get(name.rstrip(b'.'), None)
            msg = sys.stdin.buffer.read()
            d = dkim.DKIM(msg)
            sigs = [h for h in d.headers if h[0].lower() == b'dkim-signature']
            results = []
            for i in range(len(sigs)):
                try:
                    results.append('ok' if d.verify(idx=i, dnsfunc=dnsfunc) else 'fail')
                except Exception as e:
                    sys.stderr.write(str(e) + chr(10))
                    results.append('fail')
            print(' '.join(results) if results else 'none')
            """;

    private DkimVerifier() {
    }

    public static boolean available() {
        if (!Files.isExecutable(PYTHON)) {
            return false;
        }
        try {
            Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import dkim, nacl").redirectError(ProcessBuilder.Redirect.INHERIT).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** "ok" or "fail" per DKIM-Signature, in header order, space-separated. */
    public static String verify(byte[] message, Map<String, String> txtByName) throws Exception {
        Path script = Files.createTempFile("dkimverify", ".py");
        try {
            Files.writeString(script, SCRIPT);
            var cmd = new java.util.ArrayList<String>(java.util.List.of(PYTHON.toString(), script.toString()));
            txtByName.forEach((k, v) -> cmd.add(k + "=" + v));
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            p.getOutputStream().write(message);
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            p.waitFor(60, TimeUnit.SECONDS);
            return out;
        } finally {
            Files.deleteIfExists(script);
        }
    }
}
