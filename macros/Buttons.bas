Attribute VB_Name = "Buttons"
Option Explicit

' The macros behind the ledger's buttons. ASCII only: the VBA project's code page is not Chinese,
' so every Chinese text shown to users comes from Python.

Public Sub Validate()
    RunPython "import rectify_xl.entrypoints.buttons as b; b.validate()"
End Sub

Public Sub Summarize()
    RunPython "import rectify_xl.entrypoints.buttons as b; b.summary()"
End Sub

Public Sub MakeNotice()
    RunPython "import rectify_xl.entrypoints.buttons as b; b.notice()"
End Sub

Public Sub SendToSuperiors()
    ' the mailed copy is made from the saved file
    ThisWorkbook.Save
    RunPython "import rectify_xl.entrypoints.buttons as b; b.send()"
End Sub
