#pragma once

//! Runs a handler on the context's thread when a future finishes, unless the context is gone.
//
// Why not QFuture::then(context, …): in Qt 6.4 a continuation whose context was destroyed
// before the future finished asserts (and dereferences a null context in release builds).
// Cache futures routinely finish while the app shuts down (the store drains its queue after
// the models are gone), so the watcher here is a child of the context and dies with it.

#include <QFuture>
#include <QFutureWatcher>
#include <QObject>

#include <utility>

namespace tern::app::models {

template <typename T, typename Handler>
void whenReady(QObject *context, QFuture<T> future, Handler &&handler)
{
    auto *watcher = new QFutureWatcher<T>(context);
    QObject::connect(watcher, &QFutureWatcherBase::finished, context,
                     [watcher, handler = std::forward<Handler>(handler)]() mutable {
                         watcher->deleteLater();
                         handler(watcher->result());
                     });
    watcher->setFuture(std::move(future));
}

} // namespace tern::app::models
