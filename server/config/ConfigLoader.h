#pragma once

// ternd's command line and config file: the option list (which is also `ternd --help`) and
// turning flags + file into a ServerConfig. Flags win over the file, the file over defaults.

#include "server/config/ServerConfig.h"
#include "shared/core/Result.h"

#include <QCommandLineParser>

namespace tern::server {

class ConfigLoader
{
public:
    static void addOptions(QCommandLineParser &parser);
    static Result<ServerConfig> load(const QCommandLineParser &parser);
    static QString defaultDataDir();
};

} // namespace tern::server
