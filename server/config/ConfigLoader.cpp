#include "ConfigLoader.h"

#include "server/config/DataDir.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>

namespace tern::server {

namespace {
// One table drives the flags, the config file keys and --help.
struct OptionSpec
{
    const char *flag;
    const char *key;       // config file key (INI, top level)
    const char *valueName; // nullptr: a switch without a value (file key: true/false)
    const char *help;
};

constexpr OptionSpec kOptions[] = {
    {"bind", "bind", "address", "Address to listen on (default 0.0.0.0)."},
    {"port", "port", "port", "Port for ws:// or wss:// and HTTP (default 7070; 0 = any free)."},
    {"data-dir", nullptr, "dir",
     "Folder holding everything ternd stores (default ~/.local/share/ternd)."},
    {"config", nullptr, "file", "Config file (INI; default DATA_DIR/ternd.conf if it exists)."},
    {"password-cost", "password_cost", "min|interactive|moderate",
     "Argon2id cost for new password hashes (default interactive)."},
    {"tls-cert", "tls_cert", "file",
     "PEM certificate (chain) to serve wss:// with (default: DATA_DIR/tls/cert.pem, made on the "
     "first start)."},
    {"tls-key", "tls_key", "file", "PEM private key for --tls-cert."},
    {"no-tls", "no_tls", nullptr,
     "Serve plain ws:// and http:// (only behind a TLS-terminating reverse proxy: otherwise "
     "passwords and messages cross the network unencrypted)."},
    {"idle-timeout", "idle_timeout", "seconds",
     "Close sessions silent for this long (default 30)."},
    {"send-queue-limit", "send_queue_limit", "bytes",
     "Unsent bytes a connection may queue before it is closed (default 8388608)."},
    {"max-connections", "max_connections", "n", "Most simultaneous connections (default 19000)."},
    {"group-member-limit", "group_member_limit", "n", "Most members in a group (default 500)."},
    {"max-requests-in-flight", "max_requests_in_flight", "n",
     "Requests one connection may have in progress before it is no longer read (default 64)."},
    {"read-pause-bytes", "read_pause_bytes", "bytes",
     "Unsent plus reserved reply bytes at which a connection is no longer read (default "
     "262144; at most half the send queue limit)."},
    {"reply-page-bytes", "reply_page_bytes", "bytes",
     "Largest history/conversations reply page (default 131072; at most a quarter of the send "
     "queue limit)."},
    {"send-stall-timeout", "send_stall_timeout", "seconds",
     "Close a connection paused by unsent bytes that the peer does not read for this long "
     "(default 10)."},
    {"store-queue-limit", "store_queue_limit", "n",
     "Storage jobs that may wait; past it new requests get rate_limited (default 20000)."},
    {"heavy-reads", "heavy_reads", "n",
     "history/conversations pages read from storage at once, server-wide; more wait their turn "
     "(default 4)."},
    {"group-changes-per-minute", "group_changes_per_minute", "n",
     "create_group and add_members requests per user and minute (default 30)."},
    {"display-name-changes-per-minute", "display_name_changes_per_minute", "n",
     "set_display_name requests per user and minute (default 10)."},
    {"edit-window-hours", "edit_window_hours", "hours",
     "How long after sending a message its sender may edit it (default 48; 0 = no limit)."},
    {"searches-per-minute", "searches_per_minute", "n",
     "search (message search) requests per user and minute (default 30)."},
    {"announce", "announce", nullptr,
     "Announce this server on the LAN (UDP broadcast to 255.255.255.255 every 2 s) so apps can "
     "list it. Off by default: a server stays quiet on the network unless asked."},
    {"announce-address", "announce_address", "address",
     "Send LAN announcements to this address instead of the broadcast address (implies "
     "--announce)."},
    {"announce-port", "announce_port", "port", "UDP port for LAN announcements (default 7071)."},
    {"server-name", "server_name", "name",
     "Name shown to apps in LAN announcements (default: the host name; at most 64 characters)."},
    {"announce-interval", "announce_interval", "ms",
     "Milliseconds between LAN announcements (default 2000; 100 to 60000)."},
    {"max-image-bytes", "max_image_bytes", "bytes",
     "Largest image upload (default and most 16777216)."},
    {"max-file-bytes", "max_file_bytes", "bytes",
     "Largest file upload (default and most 104857600)."},
    {"media-quota-bytes", "media_quota_bytes", "bytes",
     "Media each user may store, finished and in progress (default 10 GiB; 0 = no quota)."},
    {"media-upload-ttl", "media_upload_ttl", "seconds",
     "Delete incomplete uploads untouched for this long (default 86400)."},
    {"registrations-per-address", "registrations_per_address", "n",
     "Most `register` requests per source address per minute (default 10)."},
    {"max-queued-hashes", "max_queued_hashes", "n",
     "Most password hashes queued or running; past it login/register answer rate_limited "
     "(default 4096)."},
    {"max-hash-wait", "max_hash_wait", "seconds",
     "Answer login/register with rate_limited when the password hashing queue is expected to "
     "take longer than this (default 10)."},
    {"auth-timeout", "auth_timeout", "seconds",
     "Close WebSocket sessions that have not logged in after this long (default 15)."},
    {"max-connections-per-address", "max_connections_per_address", "n",
     "Most simultaneous connections from one source address (default 256; 0 = no cap)."},
    {"limit-loopback", "limit_loopback", nullptr,
     "Apply the per-address bounds to loopback clients too (off by default: tests, benches and "
     "a local reverse proxy all connect from 127.0.0.1)."},
    {"tls-handshake-timeout", "tls_handshake_timeout", "seconds",
     "Drop wss:// connections whose TLS handshake takes longer than this (default 10)."},
    {"token-idle-days", "token_idle_days", "days",
     "A login token unused for this long stops working (default 30; 0 = never)."},
    {"allowed-origins", "allowed_origins", "origins",
     "Comma-separated browser origins (https://host:port) allowed to open a WebSocket; an "
     "upgrade with any other Origin is refused. * allows any (default: none)."},
    {"max-open-uploads", "max_open_uploads", "n",
     "Incomplete uploads one user may have at once (default 100)."},
    {"media-min-charge", "media_min_charge", "bytes",
     "Least each upload counts against the quota, however small (default 4096)."},
};

QString text(const char *s)
{
    return QString::fromLatin1(s);
}
} // namespace

QString ConfigLoader::defaultDataDir()
{
    const QString base = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    return QDir(base.isEmpty() ? QDir::homePath() : base).filePath(QStringLiteral("ternd"));
}

void ConfigLoader::addOptions(QCommandLineParser &parser)
{
    for (const OptionSpec &o : kOptions) {
        if (o.valueName)
            parser.addOption(QCommandLineOption(text(o.flag), text(o.help), text(o.valueName)));
        else
            parser.addOption(QCommandLineOption(text(o.flag), text(o.help)));
    }
    parser.addOption(QCommandLineOption(
        QStringLiteral("no-registration"),
        QStringLiteral("Refuse `register` (accounts then come from `ternd user add`). "
                       "Config key: registration=false.")));
}

Result<ServerConfig> ConfigLoader::load(const QCommandLineParser &parser)
{
    ServerConfig config;
    config.dataDir = parser.isSet(QStringLiteral("data-dir"))
                         ? parser.value(QStringLiteral("data-dir"))
                         : defaultDataDir();
    config.dataDir = QDir(config.dataDir).absolutePath();

    QString configFile = parser.value(QStringLiteral("config"));
    if (configFile.isEmpty()) {
        const QString candidate = QDir(config.dataDir).filePath(QStringLiteral("ternd.conf"));
        if (QFileInfo::exists(candidate))
            configFile = candidate;
    } else if (!QFileInfo::exists(configFile)) {
        return Error{ErrorCode::BadRequest, QStringLiteral("config file not found: ") + configFile};
    }
    std::optional<QSettings> file;
    if (!configFile.isEmpty())
        file.emplace(configFile, QSettings::IniFormat);

    // Flag, else file key, else empty.
    auto value = [&](const OptionSpec &o) -> QString {
        if (parser.isSet(text(o.flag)))
            return o.valueName ? parser.value(text(o.flag)) : QStringLiteral("true");
        if (file && o.key && file->contains(text(o.key))) {
            // QSettings reads an unquoted "a, b" as a list.
            const QVariant v = file->value(text(o.key));
            return v.typeId() == QMetaType::QStringList ? v.toStringList().join(u',')
                                                        : v.toString();
        }
        return QString();
    };
    auto number = [&](const OptionSpec &o, qint64 min, qint64 max, qint64 *out) -> Status {
        const QString v = value(o);
        if (v.isEmpty())
            return Ok{};
        bool ok = false;
        const qint64 n = v.toLongLong(&ok);
        if (!ok || n < min || n > max)
            return Error{ErrorCode::BadRequest,
                         QStringLiteral("--%1 must be a number from %2 to %3")
                             .arg(text(o.flag))
                             .arg(min)
                             .arg(max)};
        *out = n;
        return Ok{};
    };

    bool noTls = false;
    for (const OptionSpec &o : kOptions) {
        const QString flag = text(o.flag);
        const QString v = value(o);
        qint64 n = 0;
        Status st = Ok{};
        if (flag == QLatin1String("bind") && !v.isEmpty()) {
            if (!config.bind.setAddress(v))
                return Error{ErrorCode::BadRequest, QStringLiteral("--bind: not an address: ") + v};
        } else if (flag == QLatin1String("port")) {
            n = config.port;
            st = number(o, 0, 65535, &n);
            config.port = quint16(n);
        } else if (flag == QLatin1String("password-cost") && !v.isEmpty()) {
            if (!crypto::parsePasswordCost(v, &config.passwordCost))
                return Error{
                    ErrorCode::BadRequest,
                    QStringLiteral("--password-cost must be min, interactive or moderate")};
        } else if (flag == QLatin1String("tls-cert")) {
            config.tlsCertFile = v;
        } else if (flag == QLatin1String("tls-key")) {
            config.tlsKeyFile = v;
        } else if (flag == QLatin1String("idle-timeout")) {
            n = config.idleTimeoutMs / 1000;
            st = number(o, 1, 3600, &n);
            config.idleTimeoutMs = int(n * 1000);
        } else if (flag == QLatin1String("send-queue-limit")) {
            n = config.sendQueueLimitBytes;
            st = number(o, 256 * 1024, qint64(1) << 32, &n);
            config.sendQueueLimitBytes = n;
        } else if (flag == QLatin1String("max-connections")) {
            n = config.maxConnections;
            st = number(o, 1, 1'000'000, &n);
            config.maxConnections = int(n);
        } else if (flag == QLatin1String("group-member-limit")) {
            n = config.groupMemberLimit;
            st = number(o, 2, 100'000, &n);
            config.groupMemberLimit = int(n);
        } else if (flag == QLatin1String("max-requests-in-flight")) {
            n = config.maxRequestsInFlight;
            st = number(o, 1, 100'000, &n);
            config.maxRequestsInFlight = int(n);
        } else if (flag == QLatin1String("read-pause-bytes")) {
            n = config.readPauseBytes;
            st = number(o, 16 * 1024, qint64(1) << 32, &n);
            config.readPauseBytes = n;
        } else if (flag == QLatin1String("reply-page-bytes")) {
            n = config.replyPageBytes;
            st = number(o, 4 * 1024, qint64(1) << 32, &n);
            config.replyPageBytes = n;
        } else if (flag == QLatin1String("send-stall-timeout")) {
            n = config.sendStallMs / 1000;
            st = number(o, 1, 3600, &n);
            config.sendStallMs = int(n * 1000);
        } else if (flag == QLatin1String("store-queue-limit")) {
            n = config.storeQueueLimit;
            st = number(o, 1, 10'000'000, &n);
            config.storeQueueLimit = int(n);
        } else if (flag == QLatin1String("heavy-reads")) {
            n = config.heavyReads;
            st = number(o, 1, 10'000, &n);
            config.heavyReads = int(n);
        } else if (flag == QLatin1String("group-changes-per-minute")) {
            n = config.groupChangesPerMinute;
            st = number(o, 1, 1'000'000, &n);
            config.groupChangesPerMinute = int(n);
        } else if (flag == QLatin1String("display-name-changes-per-minute")) {
            n = config.displayNameChangesPerMinute;
            st = number(o, 1, 1'000'000, &n);
            config.displayNameChangesPerMinute = int(n);
        } else if (flag == QLatin1String("edit-window-hours")) {
            n = config.editWindowHours;
            st = number(o, 0, 1'000'000, &n);
            config.editWindowHours = int(n);
        } else if (flag == QLatin1String("searches-per-minute")) {
            n = config.searchesPerMinute;
            st = number(o, 1, 1'000'000, &n);
            config.searchesPerMinute = int(n);
        } else if (flag == QLatin1String("announce") && !v.isEmpty()) {
            const QString b = v.toLower();
            if (b == QLatin1String("true") || b == QLatin1String("1"))
                config.announce = true;
            else if (b == QLatin1String("false") || b == QLatin1String("0"))
                config.announce = false;
            else
                return Error{ErrorCode::BadRequest,
                             QStringLiteral("announce must be true or false")};
        } else if (flag == QLatin1String("announce-address") && !v.isEmpty()) {
            if (!config.announceAddress.setAddress(v))
                return Error{ErrorCode::BadRequest,
                             QStringLiteral("--announce-address: not an address: ") + v};
            // Naming a target only makes sense if something is sent to it.
            config.announce = true;
        } else if (flag == QLatin1String("max-image-bytes")) {
            n = config.maxImageBytes;
            st = number(o, 1, 16 * 1024 * 1024, &n);
            config.maxImageBytes = n;
        } else if (flag == QLatin1String("max-file-bytes")) {
            n = config.maxFileBytes;
            st = number(o, 1, 100 * 1024 * 1024, &n);
            config.maxFileBytes = n;
        } else if (flag == QLatin1String("media-quota-bytes")) {
            n = config.mediaQuotaBytes;
            st = number(o, 0, qint64(1) << 50, &n);
            config.mediaQuotaBytes = n;
        } else if (flag == QLatin1String("media-upload-ttl")) {
            n = config.mediaUploadTtlMs / 1000;
            st = number(o, 1, 365 * 24 * 3600, &n);
            config.mediaUploadTtlMs = n * 1000;
        } else if (flag == QLatin1String("registrations-per-address")) {
            n = config.registrationsPerAddressPerMinute;
            st = number(o, 1, 1'000'000, &n);
            config.registrationsPerAddressPerMinute = int(n);
        } else if (flag == QLatin1String("max-queued-hashes")) {
            n = config.maxQueuedHashes;
            st = number(o, 1, 1'000'000, &n);
            config.maxQueuedHashes = int(n);
        } else if (flag == QLatin1String("max-hash-wait")) {
            n = config.maxHashWaitMs / 1000;
            st = number(o, 1, 3600, &n);
            config.maxHashWaitMs = int(n * 1000);
        } else if (flag == QLatin1String("auth-timeout")) {
            n = config.authTimeoutMs / 1000;
            st = number(o, 1, 3600, &n);
            config.authTimeoutMs = int(n * 1000);
        } else if (flag == QLatin1String("max-connections-per-address")) {
            n = config.maxConnectionsPerAddress;
            st = number(o, 0, 1'000'000, &n);
            config.maxConnectionsPerAddress = int(n);
        } else if (flag == QLatin1String("limit-loopback") && !v.isEmpty()) {
            config.limitLoopback = v == QLatin1String("true") || v == QLatin1String("1");
        } else if (flag == QLatin1String("no-tls") && !v.isEmpty()) {
            const QString b = v.toLower();
            if (b != QLatin1String("true") && b != QLatin1String("1") &&
                b != QLatin1String("false") && b != QLatin1String("0"))
                return Error{ErrorCode::BadRequest, QStringLiteral("no_tls must be true or false")};
            noTls = b == QLatin1String("true") || b == QLatin1String("1");
        } else if (flag == QLatin1String("tls-handshake-timeout")) {
            n = config.tlsHandshakeTimeoutMs / 1000;
            st = number(o, 1, 3600, &n);
            config.tlsHandshakeTimeoutMs = int(n * 1000);
        } else if (flag == QLatin1String("token-idle-days")) {
            n = config.tokenIdleExpiryMs / (24 * 3600 * 1000);
            st = number(o, 0, 100 * 365, &n);
            config.tokenIdleExpiryMs = n * 24 * 3600 * 1000;
        } else if (flag == QLatin1String("allowed-origins") && !v.isEmpty()) {
            for (const QString &origin : v.split(u',', Qt::SkipEmptyParts))
                config.allowedOrigins.append(origin.trimmed());
        } else if (flag == QLatin1String("max-open-uploads")) {
            n = config.maxOpenUploads;
            st = number(o, 1, 1'000'000, &n);
            config.maxOpenUploads = int(n);
        } else if (flag == QLatin1String("media-min-charge")) {
            n = config.mediaMinCharge;
            st = number(o, 0, 1024 * 1024, &n);
            config.mediaMinCharge = n;
        } else if (flag == QLatin1String("announce-port")) {
            n = config.announcePort;
            st = number(o, 1, 65535, &n);
            config.announcePort = quint16(n);
        } else if (flag == QLatin1String("announce-interval")) {
            n = config.announceIntervalMs;
            st = number(o, 100, 60'000, &n);
            config.announceIntervalMs = int(n);
        } else if (flag == QLatin1String("server-name")) {
            if (v.size() > 64)
                return Error{ErrorCode::BadRequest,
                             QStringLiteral("--server-name: at most 64 characters")};
            config.serverName = v;
        }
        if (!st)
            return st.error();
    }
    if (config.tlsCertFile.isEmpty() != config.tlsKeyFile.isEmpty())
        return Error{ErrorCode::BadRequest, QStringLiteral("--tls-cert and --tls-key go together")};
    if (noTls && !config.tlsCertFile.isEmpty())
        return Error{ErrorCode::BadRequest,
                     QStringLiteral("--no-tls and --tls-cert contradict each other: choose one")};
    if (!noTls && config.tlsCertFile.isEmpty()) {
        // TLS by default: the server's own certificate, made on the first start.
        config.tlsAutoCertificate = true;
        config.tlsCertFile = config::tlsCertPath(config.dataDir);
        config.tlsKeyFile = config::tlsKeyPath(config.dataDir);
    }
    if (parser.isSet(QStringLiteral("no-registration")))
        config.registrationEnabled = false;
    else if (file && file->contains(QStringLiteral("registration")))
        config.registrationEnabled = file->value(QStringLiteral("registration")).toBool();
    return config;
}

} // namespace tern::server
