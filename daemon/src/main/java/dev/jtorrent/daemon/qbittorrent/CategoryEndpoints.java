package dev.jtorrent.daemon.qbittorrent;

import dev.jtorrent.daemon.DaemonTorrent;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Categories and tags: the daemon's lists of them ({@link dev.jtorrent.daemon.Categories}, {@link
 * dev.jtorrent.daemon.Tags}) and each torrent's, with qBittorrent's names for them and its rules: a category name has
 * no backslash and no empty path element, a tag is not blank and has no comma.
 */
final class CategoryEndpoints {
    /** qBittorrent's {@code isValidCategoryName}: '/'-separated non-empty parts, no backslash. */
    private static final Pattern CATEGORY = Pattern.compile("[^\\\\/]+(/[^\\\\/]+)*");

    private final Backend backend;

    CategoryEndpoints(Backend backend) {
        this.backend = backend;
    }

    void register(Routes routes) {
        routes.get("torrents/categories", call -> categories())
                .post("torrents/createCategory", this::createCategory)
                .post("torrents/editCategory", this::editCategory)
                .post("torrents/removeCategories", this::removeCategories)
                .post("torrents/setCategory", this::setCategory)
                .get("torrents/tags", call -> Reply.json(json -> {
                    json.writeStartArray();
                    for (String tag : backend.tags().snapshot()) {
                        json.writeString(tag);
                    }
                    json.writeEndArray();
                }))
                .post("torrents/createTags", this::createTags)
                .post("torrents/deleteTags", this::deleteTags)
                .post("torrents/addTags", this::addTags)
                .post("torrents/removeTags", this::removeTags);
    }

    static boolean validCategory(String name) {
        return CATEGORY.matcher(name).matches();
    }

    static boolean validTag(String tag) {
        return !tag.isBlank() && !tag.contains(",");
    }

    private Reply categories() {
        Map<String, String> categories = backend.categories().snapshot();
        return Reply.json(json -> {
            json.writeStartObject();
            for (String name : categories.keySet().stream().sorted().toList()) {
                json.writeName(name);
                json.writeStartObject();
                json.writeStringProperty("name", name);
                json.writeStringProperty("savePath", categories.get(name));
                json.writeEndObject();
            }
            json.writeEndObject();
        });
    }

    /** A category's save path parameter: empty for the default, else a directory {@link SavePaths} accepts. */
    private static String savePath(String text) throws ApiException {
        String trimmed = text.strip();
        return trimmed.isEmpty() ? "" : SavePaths.of(trimmed).toString();
    }

    private Reply createCategory(Call call) throws ApiException {
        String category = call.require("category");
        if (category.isEmpty()) {
            throw ApiException.badRequest("Category cannot be empty");
        }
        if (!validCategory(category)) {
            throw ApiException.conflict("Incorrect category name");
        }
        if (!backend.categories().create(category, savePath(call.get("savePath")))) {
            throw ApiException.conflict("Unable to create category");
        }
        return Reply.ok();
    }

    private Reply editCategory(Call call) throws ApiException {
        String category = call.require("category");
        String path = call.require("savePath");
        if (category.isEmpty()) {
            throw ApiException.badRequest("Category cannot be empty");
        }
        if (!backend.categories().edit(category, savePath(path))) {
            throw ApiException.conflict("Unable to edit category");
        }
        return Reply.ok();
    }

    private Reply removeCategories(Call call) throws ApiException {
        List<String> names = Arrays.stream(call.require("categories").split("\n")).map(String::strip)
                .filter(name -> !name.isEmpty()).toList();
        backend.categories().remove(names);
        for (DaemonTorrent torrent : backend.torrents().all()) {
            if (names.contains(torrent.category())) {
                backend.torrents().setCategory(torrent, "");
            }
        }
        return Reply.ok();
    }

    private Reply setCategory(Call call) throws ApiException {
        String hashes = call.require("hashes");
        String category = call.require("category");
        if (!category.isEmpty() && !backend.categories().contains(category)) {
            throw ApiException.conflict("Incorrect category name");
        }
        for (DaemonTorrent torrent : backend.select(hashes)) {
            backend.torrents().setCategory(torrent, category);
        }
        return Reply.ok();
    }

    /** The tags of a comma-separated list, trimmed, blanks dropped. */
    static List<String> tags(String list) {
        Set<String> tags = new LinkedHashSet<>();
        for (String tag : list.split(",")) {
            if (!tag.isBlank()) {
                tags.add(tag.strip());
            }
        }
        return List.copyOf(tags);
    }

    private Reply createTags(Call call) throws ApiException {
        backend.tags().create(tags(call.require("tags")));
        return Reply.ok();
    }

    private Reply deleteTags(Call call) throws ApiException {
        List<String> tags = tags(call.require("tags"));
        backend.tags().delete(tags);
        for (DaemonTorrent torrent : backend.torrents().all()) {
            if (torrent.labels().stream().anyMatch(tags::contains)) {
                List<String> kept = new ArrayList<>(torrent.labels());
                kept.removeAll(tags);
                backend.torrents().setLabels(torrent, kept);
            }
        }
        return Reply.ok();
    }

    private Reply addTags(Call call) throws ApiException {
        String hashes = call.require("hashes");
        List<String> tags = tags(call.require("tags"));
        backend.tags().create(tags);
        List<String> known = tags.stream().filter(backend.tags()::contains).toList();
        for (DaemonTorrent torrent : backend.select(hashes)) {
            Set<String> labels = new LinkedHashSet<>(torrent.labels());
            if (labels.addAll(known)) {
                backend.torrents().setLabels(torrent, List.copyOf(labels));
            }
        }
        return Reply.ok();
    }

    /** Without {@code tags}, every tag of the torrents goes, as in qBittorrent. */
    private Reply removeTags(Call call) throws ApiException {
        String hashes = call.require("hashes");
        List<String> tags = tags(call.get("tags"));
        for (DaemonTorrent torrent : backend.select(hashes)) {
            List<String> kept = new ArrayList<>(torrent.labels());
            if (tags.isEmpty() ? !kept.isEmpty() : kept.removeAll(tags)) {
                backend.torrents().setLabels(torrent, tags.isEmpty() ? List.of() : kept);
            }
        }
        return Reply.ok();
    }
}
