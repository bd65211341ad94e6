#pragma once

// One `ternd user …` command and its answer, as they cross the admin socket (one JSON line each
// way) between the CLI and a running ternd. The answer carries the CLI's exit code and text, so
// a command gives the same output whether the server ran it or the CLI did on the database.

#include <QByteArray>
#include <QString>

#include <optional>

namespace tern::server::admin {

struct AdminCommand
{
    QString verb; // add, passwd, disable, enable, list
    QString name;
    QString displayName;
    QString password;

    QByteArray toLine() const;
    static std::optional<AdminCommand> fromLine(const QByteArray &line);
};

struct AdminReply
{
    int exitCode = 0;
    QString out;
    QString err;

    QByteArray toLine() const;
    static std::optional<AdminReply> fromLine(const QByteArray &line);
};

//! Longest line either side accepts (a command is a few hundred bytes; a `list` reply is one
//! line per account: 4 MiB holds tens of thousands).
inline constexpr qsizetype kAdminRequestMaxBytes = 16 * 1024;
inline constexpr qsizetype kAdminReplyMaxBytes = 4 * 1024 * 1024;

} // namespace tern::server::admin
