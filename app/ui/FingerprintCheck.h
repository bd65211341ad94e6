#pragma once

//! A field to paste (or type) the fingerprint an admin handed out, compared at once with the
//! one the server presents; says the outcome in words, not in colour alone.

#include <QByteArray>
#include <QWidget>

class QLabel;
class QLineEdit;

namespace tern::app::ui {

class FingerprintCheck : public QWidget
{
    Q_OBJECT
public:
    enum class State { Empty, Incomplete, Matches, DoesNotMatch };
    Q_ENUM(State)

    //! Children are named `<name>Edit` and `<name>Result`.
    FingerprintCheck(const QString &name, QWidget *parent = nullptr);

    //! The 32-byte digest the pasted text must equal.
    void setExpected(const QByteArray &digest);
    //! The field's label ("Paste the fingerprint your admin gave you (optional)").
    void setLabel(const QString &text);
    State state() const { return m_state; }
    QLineEdit *edit() const { return m_edit; }
    //! The sentence under the field ("" when empty).
    QString resultText() const;

signals:
    void stateChanged(tern::app::ui::FingerprintCheck::State state);

protected:
    void changeEvent(QEvent *event) override;

private:
    void update();

    QByteArray m_expected;
    State m_state = State::Empty;
    QLabel *m_label;
    QLineEdit *m_edit;
    QLabel *m_result;
};

} // namespace tern::app::ui
