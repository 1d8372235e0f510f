package com.buttonsgateway.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The operator console's files (SPEC 10), served from the jar's {@code console/} folder at {@code /console/}: its
 * own HTML, CSS and JavaScript, nothing from elsewhere. {@code /console} is sent to {@code /console/}; only plain
 * file names of known types are served, so no path leaves that folder.
 */
public final class ConsoleAssets {

    /** One answer: status, Content-Type, body; {@code location} for a redirect. */
    public record Asset(int status, String contentType, byte[] body, String location) {
    }

    /** The page talks only to its own origin; nothing inline, nothing framed (the admin token lives in the tab). */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private static final String PREFIX = "/console";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*\\.(html|css|js|svg|png|ico)");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon");

    private final String folder;
    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    /** @param folder the class-path folder of the files, e.g. {@code console} */
    public ConsoleAssets(String folder) {
        this.folder = folder;
    }

    /** The answer to a GET of {@code path} (the request's path, already normalised: no dot segments). */
    public Asset asset(String path) {
        if (path == null || !(path.equals(PREFIX) || path.startsWith(PREFIX + "/"))) {
            return notFound();
        }
        if (path.equals(PREFIX)) {
            return new Asset(308, "text/plain; charset=utf-8", "see /console/".getBytes(StandardCharsets.UTF_8), PREFIX + "/");
        }
        String name = path.substring(PREFIX.length() + 1);
        if (name.isEmpty()) {
            name = "index.html";
        }
        if (!NAME.matcher(name).matches()) {
            return notFound();
        }
        byte[] body = cache.get(name);
        if (body == null) {
            body = read(name);
            if (body == null) {
                // names asked for that do not exist are not remembered: the cache holds only the console's files
                return notFound();
            }
            cache.put(name, body);
        }
        return new Asset(200, TYPES.get(name.substring(name.lastIndexOf('.') + 1)), body, null);
    }

    private byte[] read(String name) {
        try (InputStream in = ConsoleAssets.class.getClassLoader().getResourceAsStream(folder + "/" + name)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read console file " + name, e);
        }
    }

    private static Asset notFound() {
        return new Asset(404, "text/plain; charset=utf-8", "not found".getBytes(StandardCharsets.UTF_8), null);
    }
}
