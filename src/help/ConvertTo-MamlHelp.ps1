<#
.SYNOPSIS
    Writes en-US/DigestTools.dll-Help.xml (MAML) from the markdown in src/help and the built cmdlets.
.DESCRIPTION
    Prose (synopsis, description, parameter text, examples, notes, links) lives in readable markdown,
    one file per cmdlet. Everything the code already knows (parameter types, positions, sets, pipeline
    input, mandatory, aliases, defaults, output types) is read from the compiled cmdlets, so help cannot
    drift from the code. A cmdlet parameter without a "### Name" section in its markdown stops the build.

    Markdown shape (level-2 headings are fixed names):
        # Verb-Noun
        ## Synopsis / ## Description / ## Parameters (### Name per parameter) /
        ## Examples (### Title, a ```powershell block, then remarks) / ## Inputs (### Type) /
        ## Outputs (### Type) / ## Notes / ## Related links (- name, or - [text](uri))
.PARAMETER ModulePath
    The built module folder (out/DigestTools) to read the cmdlets from.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [string] $SourceFolder = $PSScriptRoot,
    [Parameter(Mandatory)] [string] $OutputFile
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

# MAML's three namespaces; every element is written with its prefix and namespace.
$Ns = @{
    maml    = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
}
# -WhatIf and -Confirm are listed like any parameter (SYNTAX and PARAMETERS), as PowerShell's own help does;
# their text is the standard one unless the markdown has its own. The other common parameters are left to
# <CommonParameters>; UseTransaction does not exist in PowerShell 7.
$CommonParameters = [System.Management.Automation.Cmdlet]::CommonParameters + 'UseTransaction'
$ShouldProcessParameterText = [ordered]@{
    WhatIf  = 'Shows what would happen if the cmdlet runs. The cmdlet is not run.'
    Confirm = 'Prompts you for confirmation before running the cmdlet.'
}

function Split-MarkdownSection {
    # Splits text on headings of one level: returns an ordered map heading -> body text.
    param([string] $Text, [int] $Level)
    $sections = [ordered]@{}
    $marker = '#' * $Level + ' '
    $current = $null
    $inFence = $false
    $buffer = [System.Text.StringBuilder]::new()
    foreach ($line in $Text -split "`r?`n") {
        if ($line.StartsWith('```')) { $inFence = -not $inFence }
        if (-not $inFence -and $line.StartsWith($marker)) {
            if ($null -ne $current) { $sections[$current] = $buffer.ToString().Trim() }
            $current = $line.Substring($marker.Length).Trim()
            $buffer.Clear() | Out-Null
            continue
        }
        if ($null -ne $current) { $buffer.AppendLine($line) | Out-Null }
    }
    if ($null -ne $current) { $sections[$current] = $buffer.ToString().Trim() }
    $sections
}

function Get-Paragraph([string] $Text) {
    # Blank-line separated paragraphs; single newlines inside a paragraph become spaces, list items stay lines.
    if (-not $Text) { return @() }
    foreach ($block in ($Text -split "(`r?`n){2,}")) {
        $block = $block.Trim()
        if (-not $block) { continue }
        if ($block -match '^\s*[-*] ') { $block -split "`r?`n" | ForEach-Object { $_.Trim() } }
        else { ($block -split "`r?`n" | ForEach-Object { $_.Trim() }) -join ' ' }
    }
}

function Add-Paragraph([System.Xml.XmlWriter] $Writer, [string] $Text) {
    $paragraphs = @(Get-Paragraph $Text)
    if ($paragraphs.Count -eq 0) { $paragraphs = @('') }
    foreach ($p in $paragraphs) { $Writer.WriteElementString('maml', 'para', $Ns.maml, $p) }
}

function Get-DefaultValue($Command, [string] $Name) {
    # A fresh cmdlet instance holds the defaults its properties are initialized with.
    try { $instance = [Activator]::CreateInstance($Command.ImplementingType) } catch { return 'None' }
    # -WhatIf and -Confirm are not properties of the cmdlet class; both are off unless given.
    if (-not $instance.PSObject.Properties[$Name]) { return 'False' }
    $value = $instance.$Name
    if ($null -eq $value) { return 'None' }
    if ($value -is [System.Management.Automation.SwitchParameter]) { return $(if ($value.IsPresent) { 'True' } else { 'False' }) }
    if ($value -is [array] -and $value.Count -eq 0) { return 'None' }
    if ($value -is [bool] -and -not $value) { return 'None' }
    if ($value -is [int] -and $value -eq 0) { return 'None' }
    "$value"
}

function Get-PipelineInput($Attributes) {
    $kinds = @()
    if ($Attributes | Where-Object ValueFromPipelineByPropertyName) { $kinds += 'ByPropertyName' }
    if ($Attributes | Where-Object ValueFromPipeline) { $kinds += 'ByValue' }
    if ($kinds) { "True ($($kinds -join ', '))" } else { 'False' }
}

function Write-Parameter([System.Xml.XmlWriter] $Writer, $Command, $Parameter, [string] $SetName, [string] $Description) {
    $attributes = @($Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] })
    $inSet = if ($SetName) { @($attributes | Where-Object { $_.ParameterSetName -in $SetName, '__AllParameterSets' }) } else { $attributes }
    $mandatory = [bool]($inSet | Where-Object Mandatory)
    $positioned = @($inSet | Where-Object { $_.Position -ge 0 })
    $position = if ($positioned) { $positioned[0].Position } else { $null }
    $typeName = $Parameter.ParameterType.FullName
    $isSwitch = $Parameter.ParameterType -eq [System.Management.Automation.SwitchParameter]

    $Writer.WriteStartElement('command', 'parameter', $Ns.command)
    $Writer.WriteAttributeString('required', "$mandatory".ToLowerInvariant())
    $Writer.WriteAttributeString('variableLength', "$($Parameter.ParameterType.IsArray)".ToLowerInvariant())
    $Writer.WriteAttributeString('globbing', 'false')
    $Writer.WriteAttributeString('pipelineInput', (Get-PipelineInput $inSet))
    $Writer.WriteAttributeString('position', $(if ($null -ne $position) { "$position" } else { 'named' }))
    $Writer.WriteAttributeString('aliases', $(if ($Parameter.Aliases.Count) { $Parameter.Aliases -join ', ' } else { 'none' }))
    $Writer.WriteElementString('maml', 'name', $Ns.maml, $Parameter.Name)
    $Writer.WriteStartElement('maml', 'description', $Ns.maml); Add-Paragraph $Writer $Description; $Writer.WriteEndElement()
    if (-not $isSwitch) {
        $Writer.WriteStartElement('command', 'parameterValue', $Ns.command)
        $Writer.WriteAttributeString('required', 'true')
        $Writer.WriteAttributeString('variableLength', "$($Parameter.ParameterType.IsArray)".ToLowerInvariant())
        $Writer.WriteString($Parameter.ParameterType.Name)
        $Writer.WriteEndElement()
    }
    $Writer.WriteStartElement('dev', 'type', $Ns.dev); $Writer.WriteElementString('maml', 'name', $Ns.maml, $typeName); $Writer.WriteEndElement()
    $Writer.WriteElementString('dev', 'defaultValue', $Ns.dev, (Get-DefaultValue $Command $Parameter.Name))
    $Writer.WriteEndElement()
}

function Write-TypeList([System.Xml.XmlWriter] $Writer, [string] $ListElement, [string] $ItemElement, $Sections) {
    $Writer.WriteStartElement('command', $ListElement, $Ns.command)
    foreach ($type in $Sections.Keys) {
        $Writer.WriteStartElement('command', $ItemElement, $Ns.command)
        $Writer.WriteStartElement('dev', 'type', $Ns.dev); $Writer.WriteElementString('maml', 'name', $Ns.maml, $type); $Writer.WriteEndElement()
        $Writer.WriteStartElement('maml', 'description', $Ns.maml); Add-Paragraph $Writer $Sections[$type]; $Writer.WriteEndElement()
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()
}

function Write-Command([System.Xml.XmlWriter] $Writer, $Command, $Doc) {
    $parameterDocs = Split-MarkdownSection $Doc['Parameters'] 3
    $parameters = @($Command.Parameters.Values | Where-Object { $_.Name -notin $CommonParameters })
    foreach ($name in $ShouldProcessParameterText.Keys) {
        if ($name -in $parameters.Name -and -not $parameterDocs.Contains($name)) { $parameterDocs[$name] = $ShouldProcessParameterText[$name] }
    }
    $missing = @($parameters | Where-Object { -not $parameterDocs.Contains($_.Name) } | ForEach-Object Name)
    if ($missing) { throw "$($Command.Name): parameters without help in markdown: $($missing -join ', ')" }
    $unknown = @($parameterDocs.Keys | Where-Object { $_ -notin $parameters.Name })
    if ($unknown) { throw "$($Command.Name): markdown documents parameters the cmdlet does not have: $($unknown -join ', ')" }
    # Listed in the order the markdown documents them, not the order reflection finds them in (a parameter
    # moved to a base class would otherwise move in the help).
    $documentOrder = @($parameterDocs.Keys)
    $parameters = @($parameters | Sort-Object { $documentOrder.IndexOf($_.Name) })

    $Writer.WriteStartElement('command', 'command', $Ns.command)
    $Writer.WriteStartElement('command', 'details', $Ns.command)
    $Writer.WriteElementString('command', 'name', $Ns.command, $Command.Name)
    $Writer.WriteElementString('command', 'verb', $Ns.command, $Command.Verb)
    $Writer.WriteElementString('command', 'noun', $Ns.command, $Command.Noun)
    $Writer.WriteStartElement('maml', 'description', $Ns.maml); Add-Paragraph $Writer $Doc['Synopsis']; $Writer.WriteEndElement()
    $Writer.WriteEndElement()
    $Writer.WriteStartElement('maml', 'description', $Ns.maml); Add-Paragraph $Writer $Doc['Description']; $Writer.WriteEndElement()

    $Writer.WriteStartElement('command', 'syntax', $Ns.command)
    foreach ($set in $Command.ParameterSets) {
        $Writer.WriteStartElement('command', 'syntaxItem', $Ns.command)
        $Writer.WriteElementString('maml', 'name', $Ns.maml, $Command.Name)
        foreach ($p in $set.Parameters | Where-Object { $_.Name -notin $CommonParameters } | Sort-Object { $documentOrder.IndexOf($_.Name) }) {
            Write-Parameter $Writer $Command $Command.Parameters[$p.Name] $set.Name $parameterDocs[$p.Name]
        }
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('command', 'parameters', $Ns.command)
    foreach ($p in $parameters) { Write-Parameter $Writer $Command $p $null $parameterDocs[$p.Name] }
    $Writer.WriteEndElement()

    Write-TypeList $Writer 'inputTypes' 'inputType' (Split-MarkdownSection $Doc['Inputs'] 3)
    $outputs = Split-MarkdownSection $Doc['Outputs'] 3
    $declared = @($Command.OutputType.Name)
    $undocumented = @($declared | Where-Object { -not $outputs.Contains($_) })
    if ($undocumented) { throw "$($Command.Name): [OutputType] $($undocumented -join ', ') missing from ## Outputs" }
    Write-TypeList $Writer 'returnValues' 'returnValue' $outputs

    if ($Doc.Contains('Notes')) {
        $Writer.WriteStartElement('maml', 'alertSet', $Ns.maml)
        $Writer.WriteStartElement('maml', 'alert', $Ns.maml); Add-Paragraph $Writer $Doc['Notes']; $Writer.WriteEndElement()
        $Writer.WriteEndElement()
    }

    $Writer.WriteStartElement('command', 'examples', $Ns.command)
    $examples = Split-MarkdownSection $Doc['Examples'] 3
    if ($examples.Count -lt 3) { throw "$($Command.Name): at least three examples are required" }
    foreach ($title in $examples.Keys) {
        $body = $examples[$title]
        if ($body -notmatch '(?s)```powershell\r?\n(.*?)\r?\n```(.*)') { throw "$($Command.Name): example '$title' has no powershell code block" }
        $Writer.WriteStartElement('command', 'example', $Ns.command)
        $Writer.WriteElementString('maml', 'title', $Ns.maml, "-------------------------- $title --------------------------")
        $Writer.WriteElementString('dev', 'code', $Ns.dev, $Matches[1])
        $Writer.WriteStartElement('dev', 'remarks', $Ns.dev); Add-Paragraph $Writer $Matches[2]; $Writer.WriteEndElement()
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('command', 'relatedLinks', $Ns.command)
    # First, so Get-Help -Online opens this module's page for the cmdlet (it takes the first link with a URI).
    $Writer.WriteStartElement('maml', 'navigationLink', $Ns.maml)
    $Writer.WriteElementString('maml', 'linkText', $Ns.maml, 'Online Version:')
    $Writer.WriteElementString('maml', 'uri', $Ns.maml, "$OnlineHelpBase/$($Command.Name).md")
    $Writer.WriteEndElement()
    foreach ($line in ($Doc['Related links'] -split "`r?`n" | Where-Object { $_ -match '^\s*-\s+' })) {
        $item = ($line -replace '^\s*-\s+', '').Trim()
        $text, $uri = if ($item -match '^\[(.+)\]\((.+)\)$') { $Matches[1], $Matches[2] } else { $item, '' }
        $Writer.WriteStartElement('maml', 'navigationLink', $Ns.maml)
        $Writer.WriteElementString('maml', 'linkText', $Ns.maml, $text)
        $Writer.WriteElementString('maml', 'uri', $Ns.maml, $uri)
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()
    $Writer.WriteEndElement()
}

# The cmdlets are read in a child process so this session never holds the module's assemblies.
$module = Import-Module (Join-Path (Resolve-Path -LiteralPath $ModulePath).ProviderPath 'DigestTools.psd1') -PassThru -Force
# The markdown each cmdlet's help is made from, on the project's site (the manifest's ProjectUri).
$OnlineHelpBase = "$($module.PrivateData.PSData.ProjectUri.ToString().TrimEnd('/'))/blob/main/src/help"
try {
    $settings = [System.Xml.XmlWriterSettings]@{ Indent = $true; Encoding = [System.Text.UTF8Encoding]::new($false) }
    New-Item -ItemType Directory -Force -Path (Split-Path $OutputFile) | Out-Null
    $writer = [System.Xml.XmlWriter]::Create($OutputFile, $settings)
    try {
        $writer.WriteStartDocument()
        $writer.WriteStartElement('helpItems', 'http://msh')
        $writer.WriteAttributeString('schema', 'maml')
        $writer.WriteAttributeString('xmlns', 'maml', $null, $Ns.maml)
        $writer.WriteAttributeString('xmlns', 'command', $null, $Ns.command)
        $writer.WriteAttributeString('xmlns', 'dev', $null, $Ns.dev)
        foreach ($command in $module.ExportedCmdlets.Values | Sort-Object Name) {
            $source = Join-Path $SourceFolder "$($command.Name).md"
            if (-not (Test-Path $source)) { throw "No help source for $($command.Name): expected $source" }
            Write-Command $writer $command (Split-MarkdownSection (Get-Content $source -Raw) 2)
        }
        $writer.WriteEndElement()
        $writer.WriteEndDocument()
    }
    finally { $writer.Dispose() }
}
finally { Remove-Module $module -Force -ErrorAction SilentlyContinue }
Write-Host "Help written: $OutputFile"
