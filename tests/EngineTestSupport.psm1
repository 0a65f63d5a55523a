<#
    Helpers shared by the engine tests (InvokeImagePull, NewPinnedContainer, LocalDigests): the engines to run
    against, unique repository names per test run, the docker CLI as an independent oracle, and clean-up of
    every container and image a test run made.
#>
Set-StrictMode -Version 3.0

function Get-EngineTestCase {
    # One case per engine of the shared test environment: real dockerd and Podman's Docker-compatible API.
    param($Environment = (Get-Content -Raw $env:DIGESTTOOLS_TEST_ENV | ConvertFrom-Json))
    @(
        @{ Engine = 'Docker'; EngineUri = $Environment.DockerHost }
        @{ Engine = 'Podman'; EngineUri = $Environment.PodmanHost }
    ) | Where-Object { $_.EngineUri }
}

function New-TestRunId { [guid]::NewGuid().ToString('n').Substring(0, 8) }

function Invoke-DockerCli {
    # The docker CLI (a client only here) against one engine socket; it negotiates down to API 1.41.
    param([Parameter(Mandatory)] [string] $EngineUri, [Parameter(ValueFromRemainingArguments)] [string[]] $Arguments)
    $output = & docker -H $EngineUri @Arguments 2>&1
    if ($LASTEXITCODE -ne 0) { throw "docker $($Arguments -join ' ') failed: $output" }
    $output | ForEach-Object { "$_" }
}

function Get-ContainerConfigImage {
    param([string] $EngineUri, [string] $Id)
    Invoke-DockerCli $EngineUri inspect --format '{{.Config.Image}}' $Id
}

function Test-ContainerExists {
    param([string] $EngineUri, [string] $NameOrId)
    & docker -H $EngineUri inspect --type container --format '{{.Id}}' $NameOrId *> $null
    $LASTEXITCODE -eq 0
}

function Test-ImageExists {
    param([string] $EngineUri, [string] $Reference)
    & docker -H $EngineUri image inspect --format '{{.Id}}' $Reference *> $null
    $LASTEXITCODE -eq 0
}

function Remove-EngineTestArtifact {
    # Removes containers labelled dt-test=<RunId> and every image reference under <RepositoryPrefix>.
    param([string] $EngineUri, [string] $RunId, [string[]] $RepositoryPrefix)
    $containers = & docker -H $EngineUri ps -aq --filter "label=dt-test=$RunId" 2>$null
    foreach ($c in $containers) { & docker -H $EngineUri rm -f $c *> $null }
    $refs = & docker -H $EngineUri images --digests --format '{{.Repository}}|{{.Tag}}|{{.Digest}}|{{.ID}}' 2>$null |
        Where-Object { $line = $_; $RepositoryPrefix | Where-Object { $line -like "$_*" } }
    foreach ($line in $refs) {
        # By reference, not by id: the same image id may carry other runs' names.
        $repo, $tag, $digest, $id = $line -split '\|'
        if ($tag -ne '<none>') { & docker -H $EngineUri rmi "${repo}:$tag" *> $null }
        if ($digest -ne '<none>') { & docker -H $EngineUri rmi "$repo@$digest" *> $null }
    }
}

function Get-RecordText {
    # Every text form a user or a log could see of one output/stream record: as a string, all its properties,
    # and for an error its exception with inner exceptions and their properties. Secret checks search these.
    param([Parameter(ValueFromPipeline)] [object] $Record)
    process {
        "$Record"
        $Record | Format-List * -Force | Out-String
        if ($Record -is [System.Management.Automation.ErrorRecord]) {
            $Record.Exception.ToString()
            $Record.Exception | Format-List * -Force | Out-String
        }
    }
}

function New-RecordingHost {
    # A PowerShell host that keeps every line written to it (HostLines), for what a cmdlet can only tell the host,
    # e.g. after a stop, when the pipeline takes no more records. Use: [runspacefactory]::CreateRunspace($h).
    if (-not ('DigestToolsTests.RecordingHost' -as [type])) {
        Add-Type -TypeDefinition @'
using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
namespace DigestToolsTests {
    public sealed class RecordingHost : PSHost {
        private readonly RecordingUI _ui = new RecordingUI();
        private readonly Guid _id = Guid.NewGuid();
        public List<string> HostLines => _ui.Lines;
        public override string Name => "RecordingHost";
        public override Version Version => new Version(1, 0);
        public override Guid InstanceId => _id;
        public override PSHostUserInterface UI => _ui;
        public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
        public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;
        public override void SetShouldExit(int exitCode) { }
        public override void EnterNestedPrompt() { }
        public override void ExitNestedPrompt() { }
        public override void NotifyBeginApplication() { }
        public override void NotifyEndApplication() { }
    }
    public sealed class RecordingUI : PSHostUserInterface {
        public List<string> Lines { get; } = new List<string>();
        private void Add(string kind, string text) { lock (Lines) Lines.Add(kind + ": " + text); }
        public override PSHostRawUserInterface RawUI => null;
        public override string ReadLine() => "";
        public override SecureString ReadLineAsSecureString() => new SecureString();
        public override void Write(string value) => Add("Host", value);
        public override void Write(ConsoleColor f, ConsoleColor b, string value) => Add("Host", value);
        public override void WriteLine(string value) => Add("Host", value);
        public override void WriteErrorLine(string value) => Add("Error", value);
        public override void WriteDebugLine(string message) => Add("Debug", message);
        public override void WriteProgress(long sourceId, ProgressRecord record) { }
        public override void WriteVerboseLine(string message) => Add("Verbose", message);
        public override void WriteWarningLine(string message) => Add("Warning", message);
        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) => new Dictionary<string, PSObject>();
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => null;
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => null;
        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice) => defaultChoice;
    }
}
'@
    }
    [DigestToolsTests.RecordingHost]::new()
}

Export-ModuleMember -Function New-RecordingHost, Get-RecordText, Get-EngineTestCase, New-TestRunId, Invoke-DockerCli, Get-ContainerConfigImage, Test-ContainerExists, Test-ImageExists, Remove-EngineTestArtifact
