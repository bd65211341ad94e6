#pragma once

//! The strip under the chat header while not connected: "Connecting…", "Offline — …", retry.

#include "app/client/ChatClient.h"

#include <QPointer>
#include <QTimer>
#include <QWidget>

class QLabel;
class QPushButton;

namespace tern::app::ui {

class ConnectionBanner : public QWidget
{
    Q_OBJECT
public:
    explicit ConnectionBanner(QWidget *parent = nullptr);
    //! Follows this client's state; null hides the banner.
    void setClient(client::ChatClient *client);
    //! The text shown now (tests and the accessible description read it).
    QString text() const;

private:
    void refresh();

    QPointer<client::ChatClient> m_client;
    QLabel *m_label;
    QPushButton *m_retry;
    QTimer m_tick;
};

} // namespace tern::app::ui
