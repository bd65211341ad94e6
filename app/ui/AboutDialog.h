#pragma once

//! "About Tern": the logo, the name and version, one line on what Tern is, and the icon credit.

#include <QDialog>

namespace tern::app::ui {

class AboutDialog : public QDialog
{
    Q_OBJECT
public:
    explicit AboutDialog(QWidget *parent = nullptr);
    //! The version shown ("0.1.0"): the project's version this app was built as.
    static QString version();
};

} // namespace tern::app::ui
