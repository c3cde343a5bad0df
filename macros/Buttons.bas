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

Public Sub Remind()
    ' letters beside the workbook; the record goes into this book's reminder-log sheet
    RunPython "import rectify_xl.entrypoints.buttons as b; b.remind()"
End Sub

Public Sub SendToSuperiors()
    ' the mailed copy is made from the saved file
    ThisWorkbook.Save
    RunPython "import rectify_xl.entrypoints.buttons as b; b.send()"
End Sub

' ---------------------------------------------------------------------------------------------
' Helpers for the xlwings remote engine (xlwings Server). Its VBA client replays only some
' action kinds: it cannot clear a fill, add notes or charts, wrap text or set up printing. The
' Python side asks for those with runMacro, which passes the workbook first. Text arrives as
' Unicode from JSON, so no Chinese literal is needed here. RunPython (COM) does not use these.

Public Sub RxClearFill(wb As Workbook, ByVal sheetName As Variant, ByVal cellAddress As Variant)
    wb.Worksheets(CStr(sheetName)).Range(CStr(cellAddress)).Interior.Pattern = xlNone
End Sub

Public Sub RxHideSheet(wb As Workbook, ByVal sheetName As Variant)
    wb.Worksheets(CStr(sheetName)).Visible = xlSheetHidden
End Sub

Public Sub RxSetNote(wb As Workbook, ByVal sheetName As Variant, ByVal cellAddress As Variant, _
                     ByVal noteText As Variant)
    ' never replaces a note the user wrote
    Dim c As Range
    Set c = wb.Worksheets(CStr(sheetName)).Range(CStr(cellAddress))
    If c.Comment Is Nothing Then c.AddComment CStr(noteText)
End Sub

Public Sub RxClearNote(wb As Workbook, ByVal sheetName As Variant, ByVal cellAddress As Variant, _
                       ByVal marker As Variant)
    ' deletes only notes that start with the marker the validate button writes
    Dim c As Range
    Set c = wb.Worksheets(CStr(sheetName)).Range(CStr(cellAddress))
    If Not c.Comment Is Nothing Then
        If Left$(c.Comment.Text, Len(CStr(marker))) = CStr(marker) Then c.Comment.Delete
    End If
End Sub

Public Sub RxChart(wb As Workbook, ByVal sheetName As Variant, ByVal chartName As Variant, _
                   ByVal sourceAddress As Variant, ByVal anchorCell As Variant, ByVal typeCode As Variant, _
                   ByVal titleText As Variant)
    ' replaces the chart of that name, so running the summary again does not stack charts
    Dim ws As Worksheet, co As ChartObject
    Set ws = wb.Worksheets(CStr(sheetName))
    On Error Resume Next
    ws.ChartObjects(CStr(chartName)).Delete
    On Error GoTo 0
    Set co = ws.ChartObjects.Add(ws.Range(CStr(anchorCell)).Left, ws.Range(CStr(anchorCell)).Top, 480, 288)
    co.Name = CStr(chartName)
    co.Chart.ChartType = CLng(typeCode)
    co.Chart.SetSourceData ws.Range(CStr(sourceAddress))
    co.Chart.HasTitle = True
    co.Chart.ChartTitle.Text = CStr(titleText)
End Sub

Public Sub RxFormatText(wb As Workbook, ByVal sheetName As Variant, ByVal cellAddress As Variant, _
                        ByVal colWidth As Variant)
    ' one paragraph per row: fixed column width, wrapped, printed one page wide
    With wb.Worksheets(CStr(sheetName))
        .Columns(1).ColumnWidth = CDbl(colWidth)
        .Range(CStr(cellAddress)).WrapText = True
        .Range(CStr(cellAddress)).VerticalAlignment = xlTop
        .Range(CStr(cellAddress)).Rows.AutoFit
        .PageSetup.PrintArea = CStr(cellAddress)
        .PageSetup.Orientation = xlPortrait
        .PageSetup.Zoom = False
        .PageSetup.FitToPagesWide = 1
        .PageSetup.FitToPagesTall = False
    End With
End Sub
