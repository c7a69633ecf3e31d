package io.notesync.store;

/**
 * Where notes live, and why every read of one user is an equality (or {@code $in}) on {@code _id}.
 *
 * <p>The embedded store (mongo-java-server) serves a query by index only when it names exactly the
 * keys of a unique index, each by equality or {@code $in}; {@code _id} is such an index and is the
 * only one we rely on. Anything else (a second field in the filter, a range, an aggregation,
 * {@code countDocuments}) makes it decode every document of the collection. So each question a
 * request asks is answered by documents reached through their {@code _id} alone:
 *
 * <ul>
 *   <li>{@code packets}, {@code _id} "user/packetId" ({@link PacketDocuments}): the idempotency
 *       record and the notes' state (text, edits, tombstones). Its {@code seq} field is set once
 *       the packet is linked into the lookups below; a packet without it was stored but its
 *       lookups may be missing, and a resend links it before it is answered {@code duplicate}.</li>
 *   <li>{@code noteUsers}, {@code _id} user: the head of the user's change sequence ({@code seq})
 *       and the keys of the user's videos.</li>
 *   <li>{@code noteVideos}, {@code _id} "user/videoKey": the video's URL, live note count, newest
 *       packet time and the ids of its packets, in link order.</li>
 *   <li>{@code noteIds}, {@code _id} note id: whose note it is, its packet and its index there
 *       (clients hold note ids; PATCH and DELETE start from one).</li>
 *   <li>{@code noteChanges}, {@code _id} "user/position": the user's changes (packets stored, a
 *       note edited, a note deleted) in commit order, positions 1, 2, 3, ... without gaps. A
 *       change claims its position by inserting this document: the unique {@code _id} lets
 *       exactly one writer have it, on one node or many ({@link UserChanges}). Replaying a user's
 *       changes after position N is a lookup of "user/N+1", "user/N+2", ... by {@code _id}.</li>
 * </ul>
 *
 * A real MongoDB serves each of these from its {@code _id} index as well; no secondary index is
 * needed. A change id is unambiguous because its last {@code /} precedes a number; a video id
 * starts with the username's length, because a video key has {@code /}s of its own and a username
 * from an outside token issuer may too.
 */
final class NoteLayout {

    static final String PACKETS = MongoNoteRepository.COLLECTION;
    static final String USERS = "noteUsers";
    static final String VIDEOS = "noteVideos";
    static final String NOTE_IDS = "noteIds";
    static final String CHANGES = "noteChanges";
    /** Markers of the store itself: the layout version, the migration lock. */
    static final String META = "notesyncMeta";

    /** Packet field: the change position that linked it; absent until linked. */
    static final String LINKED_SEQ = "seq";

    /** noteUsers fields. */
    static final String HEAD = "seq";
    static final String USER_VIDEOS = "videos";

    /** noteVideos fields. */
    static final String LIVE = "live";
    static final String LAST = "last";
    static final String VIDEO_PACKETS = "packets";

    /** noteIds fields. */
    static final String PACKET = "packet";
    static final String INDEX = "index";

    /** noteChanges fields. */
    static final String KIND = "kind";
    static final String AT = "at";
    static final String NODE = "node";
    static final String STORED = "stored";
    static final String EDITED = "edited";
    static final String DELETED = "deleted";

    private NoteLayout() {
    }

    static String videoId(String username, String videoKey) {
        return username.length() + ":" + username + "/" + videoKey;
    }

    static String changeId(String username, long position) {
        return username + "/" + position;
    }
}
