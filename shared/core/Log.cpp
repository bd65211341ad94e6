#include "Log.h"

Q_LOGGING_CATEGORY(lcNet, "tern.net", QtInfoMsg)
Q_LOGGING_CATEGORY(lcStore, "tern.store", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAuth, "tern.auth", QtInfoMsg)
Q_LOGGING_CATEGORY(lcRouting, "tern.routing", QtInfoMsg)
Q_LOGGING_CATEGORY(lcCrypto, "tern.crypto", QtInfoMsg)
Q_LOGGING_CATEGORY(lcServer, "tern.server", QtInfoMsg)
