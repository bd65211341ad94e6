#pragma once

// Everything ternd can be told, from flags and the config file; one value type, no logic.

#include "shared/crypto/Crypto.h"

#include <QHostAddress>
#include <QString>
#include <QStringList>

namespace tern::server {

struct ServerConfig
{
    QHostAddress bind = QHostAddress::Any;
    quint16 port = 7070; // 0 = any free port (tests)
    QString dataDir;
    bool registrationEnabled = true;
    crypto::PasswordCost passwordCost = crypto::PasswordCost::Interactive;
    QString tlsCertFile;
    QString tlsKeyFile;
    // tlsCertFile/tlsKeyFile are DATA_DIR/tls/{cert,key}.pem, made on the first start
    // (server/tls/ServerCertificate.h). ternd's product default: ConfigLoader sets this unless
    // --no-tls or --tls-cert. The struct default stays plain so the in-process tests
    // (ServerFixture) speak ws:// like the protocol they test; tst_tlsserver runs the real binary.
    bool tlsAutoCertificate = false;
    int idleTimeoutMs = 30'000;
    qint64 sendQueueLimitBytes = 8 * 1024 * 1024;
    int maxConnections = 19'000;
    int groupMemberLimit = 500;
    int presenceExpiryMs = 10'000;     // offline this long after the last sign of life
    int presenceMinIntervalMs = 2'000; // at most one presence announcement per user per interval
    // Flow control (docs/architecture.md, "Limits and abuse"): a connection stops being read
    // while it has this many requests in flight, or this many unsent plus reserved reply bytes.
    int maxRequestsInFlight = 64;
    qint64 readPauseBytes = 256 * 1024;
    qint64 replyPageBytes = 128 * 1024; // one history/conversations reply (at least one entry)
    int sendStallMs = 10'000;           // paused by unsent bytes that do not move: closed (1008)
    int storeQueueLimit = 20'000;       // storage jobs waiting; more: rate_limited
    int heavyReads = 4; // history/conversations pages queued for storage at once, server-wide
    int groupChangesPerMinute = 30;       // create_group + add_members per user
    int displayNameChangesPerMinute = 10; // set_display_name per user
    int editWindowHours = 48;   // a message may be edited this long after it was sent; 0 = always
    int searchesPerMinute = 30; // `search` requests per user
    int failedLoginsPerAccountPerMinute = 5;
    int failedLoginsPerAddressPerMinute = 30;
    // LAN beacon (docs/protocol.md, "LAN discovery"). Off by default: a server should not
    // shout on a network unless asked; the app's "host a server" passes --announce.
    bool announce = false;
    QHostAddress announceAddress = QHostAddress::Broadcast; // 255.255.255.255
    quint16 announcePort = 7071;
    QString serverName;             // empty = this computer's host name
    int announceIntervalMs = 2'000; // protocol::kBeaconIntervalMs; tests set it small
    // Media (docs/protocol.md, "Media"): image/* uses the image limit, the rest the file limit.
    qint64 maxImageBytes = 16 * 1024 * 1024;
    qint64 maxFileBytes = 100 * 1024 * 1024;
    qint64 mediaQuotaBytes = qint64(10) * 1024 * 1024 * 1024; // per user; 0 = none
    qint64 mediaUploadTtlMs = 24 * 3600 * 1000;               // incomplete uploads
    int mediaSweepIntervalMs = 10 * 60 * 1000;
    // How often a deletion's text is purged from the search index's file (store/SearchIndexPurger).
    int searchPurgeIntervalMs = 60 * 1000;
    // How often messages committed since are indexed for search (store/SearchIndexer); a search
    // indexes what is still waiting first, so this only bounds how long the work waits.
    int searchIndexIntervalMs = 100;
    // Abuse bounds (docs/architecture.md, "Limits and abuse").
    int registrationsPerAddressPerMinute = 10;
    int maxQueuedHashes = 4096;         // password hashes queued or running, all links
    int maxHashWaitMs = 10'000;         // refuse password work expected to wait longer than this
    int authTimeoutMs = 15'000;         // a WebSocket session must log in within this
    int maxConnectionsPerAddress = 256; // 0 = no cap
    bool limitLoopback = false;         // per-address bounds also apply to 127.0.0.0/8 and ::1
    int tlsHandshakeTimeoutMs = 10'000;
    qint64 tokenIdleExpiryMs = qint64(30) * 24 * 3600 * 1000; // 0 = tokens never expire
    QStringList allowedOrigins;   // browser origins allowed to open a WebSocket; "*" = any
    int maxOpenUploads = 100;     // incomplete uploads per user
    qint64 mediaMinCharge = 4096; // bytes each upload counts against the quota, at least
};

} // namespace tern::server
