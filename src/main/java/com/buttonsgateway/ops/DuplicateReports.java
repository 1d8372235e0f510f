package com.buttonsgateway.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The duplicates this gateway reported, for {@code GET /api/messages?status=DUPLICATE} (SPEC 7, 9). A duplicate is
 * never a stored message (its id is the original's): it is answered to its source and written as
 * {@code <results>/<id>.duplicate.json}, the latest repeat of an id replacing the one before. Those files are the
 * record read here, newest first; the contact is the original message's.
 */
public final class DuplicateReports {

    /** Which reports: ids that start with {@code idPrefix}, a contact, a range of the repeat's time (epoch ms). */
    public record Filter(String contact, String idPrefix, Long since, Long until, int limit) {
    }

    static final String SUFFIX = ".duplicate.json";

    private final ObjectMapper mapper;
    private final Path results;
    private final Function<String, Optional<String>> contactOf;

    /**
     * @param results   gateway.results.dir, where {@code <id>.duplicate.json} files are written
     * @param contactOf the contact of the stored (original) message with that id, if it is still kept
     */
    public DuplicateReports(ObjectMapper mapper, Path results, Function<String, Optional<String>> contactOf) {
        this.mapper = mapper;
        this.results = results;
        this.contactOf = contactOf;
    }

    /** The reports that match, newest first, each the duplicate's document with the original's {@code contact}. */
    public List<ObjectNode> list(Filter filter) {
        record Report(ObjectNode doc, long at) {
        }
        List<Report> reports = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(results, "*" + SUFFIX)) {
            for (Path file : files) {
                String id = file.getFileName().toString();
                id = id.substring(0, id.length() - SUFFIX.length());
                if (filter.idPrefix() != null && !id.startsWith(filter.idPrefix())) {
                    continue;
                }
                ObjectNode doc = read(file);
                Long at = doc == null ? null : millis(doc.path("acceptedAt").asText(null));
                if (at == null || (filter.since() != null && at < filter.since()) || (filter.until() != null && at >= filter.until())) {
                    continue;
                }
                reports.add(new Report(doc, at));
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("could not list the duplicate reports in " + results, e);
        }
        reports.sort(Comparator.comparingLong(Report::at).reversed().thenComparing(r -> r.doc().path("id").asText()));
        List<ObjectNode> answer = new ArrayList<>();
        for (Report report : reports) {
            ObjectNode doc = report.doc();
            if (answer.size() >= filter.limit()) {
                break;
            }
            String contact = contactOf.apply(doc.path("id").asText()).orElse(null);
            if (filter.contact() != null && !filter.contact().equals(contact)) {
                continue;
            }
            doc.put("contact", contact);
            answer.add(doc);
        }
        return answer;
    }

    /** The report, or null when it is gone meanwhile (retention) or not a report. */
    private ObjectNode read(Path file) {
        try {
            JsonNode doc = mapper.readTree(file.toFile());
            return doc instanceof ObjectNode o && "DUPLICATE".equals(o.path("status").asText()) ? o : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static Long millis(String time) {
        if (time == null) {
            return null;
        }
        try {
            return Instant.parse(time).toEpochMilli();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
