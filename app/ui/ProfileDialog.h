#pragma once

//! The profile card: our avatar, display name, user name and connection status, with the
//! display name editable in place (Enter saves, Esc cancels; the server's refusal is shown and
//! the old name kept).

#include "shared/core/Result.h"

#include <QDialog>
#include <QPointer>

#include <qcoro/qcorotask.h>

class QLabel;
class QLineEdit;
class QPushButton;

namespace tern::app::session {
class AccountSession;
}

namespace tern::app::ui {

class AvatarWidget;

class ProfileDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ProfileDialog(session::AccountSession *session, QWidget *parent = nullptr);

    bool isEditing() const;
    //! A rename has been sent and not answered yet.
    bool isSaving() const { return m_saving; }
    //! The inline error ("" when none is shown).
    QString errorText() const;
    //! One sentence for a refused rename.
    static QString errorTextFor(const Error &error, bool online);

public slots:
    void startEdit();
    void cancelEdit();
    void save();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void refresh();
    void refreshStatus();
    void showError(const QString &text);
    QCoro::Task<> saveNow(QString name);

    QPointer<session::AccountSession> m_session;
    AvatarWidget *m_avatar;
    QLabel *m_name;
    QLabel *m_userName;
    QLabel *m_status;
    QPushButton *m_edit;
    QWidget *m_editRow;
    QLineEdit *m_nameEdit;
    QPushButton *m_save;
    QPushButton *m_cancel;
    QLabel *m_error;
    bool m_saving = false;
};

} // namespace tern::app::ui
