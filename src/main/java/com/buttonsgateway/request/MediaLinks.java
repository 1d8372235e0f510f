package com.buttonsgateway.request;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * The checks SPEC 3 makes on a media link (headerURL, template headerLink): an https URL and, where
 * its path has an extension, one that fits the media type. The gateway never downloads the file:
 * the size limits are the provider's to check.
 */
final class MediaLinks {

    /** A kind of media: its name for messages and the extensions that fit it. */
    record Kind(String name, List<String> extensions) {
        static final Kind IMAGE = new Kind("image", List.of("jpg", "jpeg", "png"));
        static final Kind VIDEO = new Kind("video", List.of("mp4"));
        static final Kind DOCUMENT = new Kind("document", List.of("pdf"));
    }

    private MediaLinks() {
    }

    /** Records a problem on {@code name} when {@code link} does not fit; {@code kindIs} words the setting. */
    static void check(FieldReader in, String name, String link, Kind kind, String kindIs) {
        String field = in.field(name);
        URI uri;
        try {
            uri = new URI(link);
        } catch (URISyntaxException e) {
            in.problem(name, "https", field + " is not a valid URL; an https URL is required when " + kindIs);
            return;
        }
        if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            in.problem(name, "https", field + " must be an https URL when " + kindIs);
            return;
        }
        String extension = extension(uri.getPath());
        if (extension != null && !kind.extensions().contains(extension)) {
            in.problem(name, "file-type", field + " is a ." + extension + " file; when " + kindIs + " it must be "
                    + String.join(", ", kind.extensions().stream().map(e -> "." + e).toList()));
        }
    }

    private static String extension(String path) {
        if (path == null) {
            return null;
        }
        String last = path.substring(path.lastIndexOf('/') + 1);
        int dot = last.lastIndexOf('.');
        if (dot < 0 || dot == last.length() - 1) {
            return null;
        }
        return last.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
