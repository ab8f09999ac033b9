package io.snapline.fake;

import org.w3c.dom.Element;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Fake S3 (REST-XML, path-style): buckets with Object Ownership, objects with an owner account and a
 * canned ACL. Operations: CreateBucket, GetBucketOwnershipControls, ListObjectsV2 (prefix,
 * delimiter/CommonPrefixes, max-keys ≤ 1,000, continuation tokens, start-after, encoding-type=url),
 * PutObject, GetObject, HeadObject, DeleteObject, PutObjectAcl ({@code x-amz-acl}), GetObjectAcl and
 * DeleteObjects (≤ 1,000 keys, a request checksum required, missing keys reported deleted, per-key
 * errors injectable with {@link #failDelete}).
 *
 * <p>Object Ownership as AWS applies it: {@code BucketOwnerEnforced} makes the bucket owner own every
 * object and refuses ACL changes with 400 {@code AccessControlListNotSupported};
 * {@code BucketOwnerPreferred} gives a new object uploaded with {@code bucket-owner-full-control} to
 * the bucket owner, while PutObjectAcl on an existing object only changes its ACL (not its owner).
 *
 * <p>Storage is compact (a sorted map of key → small record; content kept only when given), so
 * hundreds of thousands of objects are cheap: see {@link #putObjects}.
 */
public final class FakeS3 {

    static final String NS = "http://s3.amazonaws.com/doc/2006-03-01/";
    private static final byte[] NO_CONTENT = new byte[0];

    /** An object as a test sees it. */
    public record S3Object(String bucket, String key, long size, String owner, String acl, Instant lastModified) {
    }

    private record Entry(long size, long lastModifiedMillis, String owner, String acl, byte[] content) {
    }

    private static final class Bucket {
        final String name;
        final String owner;
        String ownership;
        final TreeMap<String, Entry> objects = new TreeMap<>();

        Bucket(String name, String owner, String ownership) {
            this.name = name;
            this.owner = owner;
            this.ownership = ownership;
        }
    }

    private record KeyError(String code, String message) {
    }

    private final FakeAws aws;
    private final Map<String, Bucket> buckets = new HashMap<>();
    private final Map<String, KeyError> deleteErrors = new HashMap<>();

    FakeS3(FakeAws aws) {
        this.aws = aws;
    }

    // ---------------------------------------------------------------- test controls

    /** A bucket of {@link FakeAws#ACCOUNT} with {@code BucketOwnerEnforced}, the AWS default. */
    public synchronized void createBucket(String name) {
        createBucket(name, FakeAws.ACCOUNT, "BucketOwnerEnforced");
    }

    /**
     * A bucket owned by {@code ownerAccount}.
     *
     * @param objectOwnership {@code BucketOwnerEnforced}, {@code BucketOwnerPreferred}, {@code ObjectWriter},
     *                        or null for a bucket without ownership controls (GetBucketOwnershipControls
     *                        then answers 404 {@code OwnershipControlsNotFoundError})
     */
    public synchronized void createBucket(String name, String ownerAccount, String objectOwnership) {
        buckets.put(name, new Bucket(name, ownerAccount, objectOwnership));
    }

    public synchronized boolean bucketExists(String name) {
        return buckets.containsKey(name);
    }

    public synchronized void setObjectOwnership(String bucket, String objectOwnership) {
        bucket(bucket).ownership = objectOwnership;
    }

    /**
     * Adds an object without content (GetObject answers {@code size} zero bytes), ACL {@code private}.
     * The owner follows the bucket's Object Ownership ({@code BucketOwnerEnforced} → the bucket owner).
     */
    public synchronized void putObject(String bucket, String key, long size, String ownerAccount) {
        Bucket b = bucket(bucket);
        b.objects.put(key, new Entry(size, System.currentTimeMillis(), ownerFor(b, ownerAccount, "private"),
                "private", null));
    }

    /** Adds an object with content, ACL {@code private}. */
    public synchronized void putObject(String bucket, String key, String content, String ownerAccount) {
        Bucket b = bucket(bucket);
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        b.objects.put(key, new Entry(bytes.length, System.currentTimeMillis(), ownerFor(b, ownerAccount, "private"),
                "private", bytes));
    }

    /**
     * Adds {@code count} content-less objects {@code <prefix>000000}, {@code <prefix>000001}, … of
     * {@code size} bytes each, cheaply (200,000 is fine).
     */
    public synchronized void putObjects(String bucket, String prefix, int count, long size, String ownerAccount) {
        Bucket b = bucket(bucket);
        long now = System.currentTimeMillis();
        String owner = ownerFor(b, ownerAccount, "private");
        for (int i = 0; i < count; i++) {
            b.objects.put(prefix + String.format("%06d", i), new Entry(size, now, owner, "private", null));
        }
    }

    public synchronized Optional<S3Object> object(String bucket, String key) {
        Bucket b = buckets.get(bucket);
        Entry e = b == null ? null : b.objects.get(key);
        return e == null ? Optional.empty() : Optional.of(view(bucket, key, e));
    }

    /** The object's content as text (empty for content-less objects). */
    public synchronized String content(String bucket, String key) {
        Entry e = bucket(bucket).objects.get(key);
        return e == null || e.content() == null ? "" : new String(e.content(), StandardCharsets.UTF_8);
    }

    /** The keys under a prefix, sorted. */
    public synchronized List<String> keys(String bucket, String prefix) {
        return new ArrayList<>(under(bucket(bucket).objects, prefix).keySet());
    }

    /** The objects under a prefix, sorted by key. */
    public synchronized List<S3Object> objects(String bucket, String prefix) {
        List<S3Object> result = new ArrayList<>();
        under(bucket(bucket).objects, prefix).forEach((k, e) -> result.add(view(bucket, k, e)));
        return result;
    }

    public synchronized int objectCount(String bucket) {
        return bucket(bucket).objects.size();
    }

    /**
     * The next DeleteObjects that includes this key reports it in {@code <Error>} with this code
     * (e.g. {@code AccessDenied}) and keeps the object. One-shot.
     */
    public synchronized void failDelete(String bucket, String key, String code, String message) {
        deleteErrors.put(bucket + "/" + key, new KeyError(code, message));
    }

    // ---------------------------------------------------------------- used by other fakes

    /** Writes an object as AWS would for a writer with this canned ACL (RDS export, S3 Batch). */
    synchronized void write(String bucket, String key, byte[] content, long size, String writerAccount, String acl) {
        Bucket b = bucket(bucket);
        b.objects.put(key, new Entry(content == null ? size : content.length, System.currentTimeMillis(),
                ownerFor(b, writerAccount, acl), acl, content));
    }

    /** Sets a canned ACL as PutObjectAcl would; false if ACLs are disabled or the object is missing. */
    synchronized boolean applyAcl(String bucket, String key, String acl) {
        Bucket b = bucket(bucket);
        Entry e = b.objects.get(key);
        if (e == null || "BucketOwnerEnforced".equals(b.ownership)) {
            return e != null && "bucket-owner-full-control".equals(acl);
        }
        b.objects.put(key, new Entry(e.size(), e.lastModifiedMillis(), e.owner(), acl, e.content()));
        return true;
    }

    // ---------------------------------------------------------------- wire

    static String operation(FakeCall call) {
        if (call.rawPath().equals("/") || call.rawPath().isEmpty()) {
            return "ListBuckets";
        }
        List<String> seg = FakeCall.segments(call.rawPath());
        boolean hasKey = seg.size() > 1 && !seg.get(1).isEmpty();
        Map<String, String> q = call.query();
        String m = call.method();
        if (!hasKey) {
            if (q.containsKey("ownershipControls")) {
                return m.equals("GET") ? "GetBucketOwnershipControls" : "PutBucketOwnershipControls";
            }
            return switch (m) {
                case "PUT" -> "CreateBucket";
                case "POST" -> q.containsKey("delete") ? "DeleteObjects" : "PostBucket";
                case "HEAD" -> "HeadBucket";
                case "DELETE" -> "DeleteBucket";
                default -> "2".equals(q.get("list-type")) ? "ListObjectsV2" : "ListObjects";
            };
        }
        if (q.containsKey("acl")) {
            return m.equals("PUT") ? "PutObjectAcl" : "GetObjectAcl";
        }
        return switch (m) {
            case "PUT" -> call.header("x-amz-copy-source") != null ? "CopyObject" : "PutObject";
            case "HEAD" -> "HeadObject";
            case "DELETE" -> "DeleteObject";
            default -> "GetObject";
        };
    }

    static Map<String, String> logParams(FakeCall call) {
        Map<String, String> p = new LinkedHashMap<>(call.query());
        List<String> seg = FakeCall.segments(call.rawPath());
        if (!seg.get(0).isEmpty()) {
            p.put("Bucket", seg.get(0));
        }
        if (seg.size() > 1 && !seg.get(1).isEmpty()) {
            p.put("Key", FakeCall.decodeSegment(seg.get(1)));
        }
        if (call.header("x-amz-acl") != null) {
            p.put("x-amz-acl", call.header("x-amz-acl"));
        }
        if (call.header("x-amz-expected-bucket-owner") != null) {
            p.put("ExpectedBucketOwner", call.header("x-amz-expected-bucket-owner"));
        }
        return p;
    }

    synchronized FakeReply handle(String op, FakeCall call) {
        List<String> seg = FakeCall.segments(call.rawPath());
        String bucketName = seg.get(0);
        String key = seg.size() > 1 ? FakeCall.decodeSegment(seg.get(1)) : null;
        String expectedOwner = call.header("x-amz-expected-bucket-owner");
        Bucket target = buckets.get(bucketName);
        if (expectedOwner != null && target != null && !expectedOwner.equals(target.owner)) {
            // S3 answers 403 AccessDenied when the bucket belongs to another account than ExpectedBucketOwner
            throw new FakeAwsError("AccessDenied", 403, "Access Denied");
        }
        return switch (op) {
            case "CreateBucket" -> {
                buckets.putIfAbsent(bucketName, new Bucket(bucketName, aws.callerAccount(call), "BucketOwnerEnforced"));
                yield FakeReply.empty(200).header("Location", "/" + bucketName);
            }
            case "HeadBucket" -> {
                existing(bucketName);
                yield FakeReply.empty(200);
            }
            case "GetBucketOwnershipControls" -> {
                Bucket b = existing(bucketName);
                if (b.ownership == null) {
                    throw new FakeAwsError("OwnershipControlsNotFoundError", 404,
                            "The bucket ownership controls were not found");
                }
                yield FakeReply.xml(Xml.document().open("OwnershipControls", NS).open("Rule")
                        .el("ObjectOwnership", b.ownership).toString());
            }
            case "ListObjectsV2" -> listObjectsV2(existing(bucketName), call.query());
            case "DeleteObjects" -> deleteObjects(existing(bucketName), call);
            case "PutObject" -> putObject(existing(bucketName), key, call);
            case "GetObject", "HeadObject" -> {
                Entry e = existingKey(existing(bucketName), key);
                byte[] body = e.content() != null ? e.content() : new byte[(int) Math.min(e.size(), 10_000_000)];
                FakeReply r = op.equals("HeadObject") ? FakeReply.empty(200) : FakeReply.bytes(body, "binary/octet-stream");
                yield r.header("ETag", etag(key, e)).header("Last-Modified",
                        java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                                Instant.ofEpochMilli(e.lastModifiedMillis()).atZone(java.time.ZoneOffset.UTC)));
            }
            case "DeleteObject" -> {
                existing(bucketName).objects.remove(key);
                yield FakeReply.empty(204);
            }
            case "PutObjectAcl" -> putObjectAcl(existing(bucketName), key, call);
            case "GetObjectAcl" -> {
                Bucket b = existing(bucketName);
                Entry e = existingKey(b, key);
                Xml x = Xml.document().open("AccessControlPolicy", NS).open("Owner").el("ID", e.owner()).close()
                        .open("AccessControlList");
                grant(x, e.owner());
                if ("bucket-owner-full-control".equals(e.acl()) && !e.owner().equals(b.owner)) {
                    grant(x, b.owner);
                }
                yield FakeReply.xml(x.toString());
            }
            default -> throw new FakeAwsError("NotImplemented", 501,
                    "The fake S3 does not implement " + op);
        };
    }

    private static void grant(Xml x, String id) {
        x.open("Grant").open("Grantee").el("ID", id).close().el("Permission", "FULL_CONTROL").close();
    }

    private FakeReply listObjectsV2(Bucket b, Map<String, String> q) {
        String prefix = q.getOrDefault("prefix", "");
        String delimiter = q.get("delimiter");
        int maxKeys = Math.min(1000, Integer.parseInt(q.getOrDefault("max-keys", "1000")));
        if (maxKeys < 0) {
            throw new FakeAwsError("InvalidArgument", 400, "max-keys must be non-negative");
        }
        boolean urlEncode = "url".equals(q.get("encoding-type"));
        String token = q.get("continuation-token");
        String after = null;
        if (token != null) {
            try {
                after = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new FakeAwsError("InvalidArgument", 400, "The continuation token provided is incorrect");
            }
        } else if (q.get("start-after") != null) {
            after = q.get("start-after");
        }
        NavigableMap<String, Entry> view = under(b.objects, prefix);
        if (after != null) {
            view = view.tailMap(after, false);
        }
        List<Map.Entry<String, Entry>> contents = new ArrayList<>();
        Set<String> commonPrefixes = new TreeSet<>();
        String last = null;
        boolean truncated = false;
        for (Map.Entry<String, Entry> e : view.entrySet()) {
            String key = e.getKey();
            String common = null;
            if (delimiter != null && !delimiter.isEmpty()) {
                int i = key.indexOf(delimiter, prefix.length());
                if (i >= 0) {
                    common = key.substring(0, i + delimiter.length());
                }
            }
            if (common != null && (common.equals(after) || commonPrefixes.contains(common))) {
                continue;
            }
            if (contents.size() + commonPrefixes.size() >= maxKeys) {
                truncated = true;
                break;
            }
            if (common != null) {
                commonPrefixes.add(common);
                last = common;
            } else {
                contents.add(e);
                last = key;
            }
        }
        Xml x = Xml.document().open("ListBucketResult", NS).el("Name", b.name)
                .el("Prefix", enc(prefix, urlEncode)).el("Delimiter", delimiter == null ? null : enc(delimiter, urlEncode))
                .el("MaxKeys", maxKeys).el("KeyCount", contents.size() + commonPrefixes.size())
                .el("IsTruncated", truncated).el("ContinuationToken", token)
                .el("StartAfter", q.get("start-after") == null ? null : enc(q.get("start-after"), urlEncode))
                .el("EncodingType", urlEncode ? "url" : null);
        if (truncated) {
            x.el("NextContinuationToken", Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(last.getBytes(StandardCharsets.UTF_8)));
        }
        for (Map.Entry<String, Entry> e : contents) {
            x.open("Contents").el("Key", enc(e.getKey(), urlEncode))
                    .el("LastModified", Instant.ofEpochMilli(e.getValue().lastModifiedMillis()))
                    .el("ETag", etag(e.getKey(), e.getValue())).el("Size", e.getValue().size())
                    .el("StorageClass", "STANDARD").close();
        }
        for (String c : commonPrefixes) {
            x.open("CommonPrefixes").el("Prefix", enc(c, urlEncode)).close();
        }
        return FakeReply.xml(x.toString());
    }

    private FakeReply deleteObjects(Bucket b, FakeCall call) {
        boolean hasChecksum = call.header("content-md5") != null
                || call.headers().keySet().stream().anyMatch(h -> h.startsWith("x-amz-checksum-"))
                || call.header("x-amz-trailer") != null;
        if (!hasChecksum) {
            throw new FakeAwsError("InvalidRequest", 400,
                    "Missing required header for this request: Content-MD5 or x-amz-checksum-*");
        }
        Element root = Xml.parse(call.body());
        List<Element> objects = Xml.children(root, "Object");
        if (objects.size() > 1000) {
            throw new FakeAwsError("MalformedXML", 400,
                    "The XML you provided was not well-formed or did not validate against our published schema");
        }
        boolean quiet = Xml.text(root, "Quiet").map(Boolean::parseBoolean).orElse(false);
        Xml x = Xml.document().open("DeleteResult", NS);
        for (Element o : objects) {
            String key = Xml.text(o, "Key").orElse("");
            KeyError err = deleteErrors.remove(b.name + "/" + key);
            if (err != null) {
                x.open("Error").el("Key", key).el("Code", err.code()).el("Message", err.message()).close();
            } else {
                b.objects.remove(key);
                if (!quiet) {
                    x.open("Deleted").el("Key", key).close();
                }
            }
        }
        return FakeReply.xml(x.toString());
    }

    private FakeReply putObject(Bucket b, String key, FakeCall call) {
        String acl = call.header("x-amz-acl");
        if (acl != null && "BucketOwnerEnforced".equals(b.ownership) && !acl.equals("bucket-owner-full-control")) {
            throw new FakeAwsError("AccessControlListNotSupported", 400, "The bucket does not allow ACLs");
        }
        String effectiveAcl = acl == null ? "private" : acl;
        byte[] content = call.body();
        Entry e = new Entry(content.length, System.currentTimeMillis(), ownerFor(b, aws.callerAccount(call), effectiveAcl),
                effectiveAcl, content.length == 0 ? NO_CONTENT : content);
        b.objects.put(key, e);
        return FakeReply.empty(200).header("ETag", etag(key, e));
    }

    private FakeReply putObjectAcl(Bucket b, String key, FakeCall call) {
        if ("BucketOwnerEnforced".equals(b.ownership)) {
            throw new FakeAwsError("AccessControlListNotSupported", 400, "The bucket does not allow ACLs");
        }
        Entry e = existingKey(b, key);
        String acl = call.header("x-amz-acl");
        if (acl == null) {
            throw new FakeAwsError("NotImplemented", 501, "the fake S3 supports canned ACLs (x-amz-acl) only");
        }
        if (!Set.of("private", "public-read", "public-read-write", "authenticated-read", "aws-exec-read",
                "bucket-owner-read", "bucket-owner-full-control").contains(acl)) {
            throw new FakeAwsError("InvalidArgument", 400, "Invalid canned ACL " + acl);
        }
        b.objects.put(key, new Entry(e.size(), e.lastModifiedMillis(), e.owner(), acl, e.content()));
        return FakeReply.empty(200);
    }

    private static String ownerFor(Bucket b, String writer, String acl) {
        if ("BucketOwnerEnforced".equals(b.ownership)) {
            return b.owner;
        }
        if ("BucketOwnerPreferred".equals(b.ownership) && "bucket-owner-full-control".equals(acl)) {
            return b.owner;
        }
        return writer;
    }

    private static NavigableMap<String, Entry> under(TreeMap<String, Entry> objects, String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return objects;
        }
        return objects.subMap(prefix, true, prefix + Character.MAX_VALUE, false);
    }

    private Bucket bucket(String name) {
        Bucket b = buckets.get(name);
        if (b == null) {
            throw new IllegalArgumentException("no fake bucket " + name + "; create it with createBucket first");
        }
        return b;
    }

    private Bucket existing(String name) {
        Bucket b = buckets.get(name);
        if (b == null) {
            throw new FakeAwsError("NoSuchBucket", 404, "The specified bucket does not exist");
        }
        return b;
    }

    private static Entry existingKey(Bucket b, String key) {
        Entry e = b.objects.get(key);
        if (e == null) {
            throw new FakeAwsError("NoSuchKey", 404, "The specified key does not exist.");
        }
        return e;
    }

    private static S3Object view(String bucket, String key, Entry e) {
        return new S3Object(bucket, key, e.size(), e.owner(), e.acl(), Instant.ofEpochMilli(e.lastModifiedMillis()));
    }

    private static String enc(String s, boolean url) {
        return url ? java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/") : s;
    }

    private static String etag(String key, Entry e) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            byte[] digest = e.content() != null ? md5.digest(e.content())
                    : md5.digest((key + "#" + e.size()).getBytes(StandardCharsets.UTF_8));
            return "\"" + HexFormat.of().formatHex(digest) + "\"";
        } catch (java.security.NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
