# build.ps1 -Task Package: out/DigestTools/<version>/ as Publish-PSResource takes it, imported in a clean
# `pwsh -NoProfile` the way an installed module is (by name, from a PSModulePath folder).
BeforeAll {
    $script:RepoRoot = Split-Path $PSScriptRoot
    $script:Manifest = Import-PowerShellDataFile (Join-Path $RepoRoot 'DigestTools.psd1')
    $script:Version = $Manifest.ModuleVersion
    $script:Package = Join-Path $RepoRoot "out/DigestTools/$Version"

    Import-Module (Join-Path $PSScriptRoot 'infra/TestEnvironment.psm1')
    function Invoke-PwshRun([string[]] $Arguments) {
        $output = Invoke-ChildPwsh $Arguments 2>&1 | ForEach-Object { "$_" }
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = $output }
    }

    # Package reuses the current build (the suite has just built it), so this stays quick.
    $script:PackageRun = Invoke-PwshRun @('-File', (Join-Path $RepoRoot 'build.ps1'), '-Task', 'Package')

    # The clean session: an installed-module layout <PSModulePath>/DigestTools/<version>, imported by name.
    $script:ModulesRoot = Join-Path ([IO.Path]::GetTempPath()) "dt-package-$([guid]::NewGuid().ToString('n'))"
    $probeScript = @'
param($ModulesRoot, $Version)
$ErrorActionPreference = 'Stop'
$env:PSModulePath = $ModulesRoot + [IO.Path]::PathSeparator + $env:PSModulePath
$manifestPath = Join-Path $ModulesRoot "DigestTools/$Version/DigestTools.psd1"
$tested = Test-ModuleManifest $manifestPath
$module = Import-Module DigestTools -RequiredVersion $Version -PassThru
$row = [DigestTools.PulledImage]@{ Repository = 'registry.example/app'; Tag = '1.0'; Digest = 'sha256:' + ('0123456789abcdef' * 4); ImageId = 'sha256:' + ('fe' * 32); Platform = 'linux/amd64' }
[pscustomobject]@{
    ManifestName = $tested.Name
    ManifestVersion = "$($tested.Version)"
    ModuleBase = $module.ModuleBase
    Exported = @($module.ExportedCommands.Keys | Sort-Object)
    ExportedCmdlets = @($module.ExportedCmdlets.Keys | Sort-Object)
    Synopses = @($module.ExportedCmdlets.Keys | Sort-Object | ForEach-Object { [pscustomobject]@{ Name = $_; Synopsis = "$((Get-Help $_).Synopsis)".Trim(); Examples = @((Get-Help $_).examples.example).Count } })
    About = (Get-Help about_DigestTools | Out-String) -match 'ERROR IDS'
    FormatTypes = @(Get-FormatData -TypeName DigestTools.* | ForEach-Object TypeNames)
    Table = $row | Out-String -Width 160
} | ConvertTo-Json -Depth 5
'@
    $probeFile = Join-Path ([IO.Path]::GetTempPath()) "dt-package-probe-$([guid]::NewGuid().ToString('n')).ps1"
    Set-Content -Path $probeFile -Value $probeScript
    try {
        if ($PackageRun.ExitCode -eq 0) {
            $installed = Join-Path $ModulesRoot "DigestTools/$Version"
            New-Item -ItemType Directory -Force -Path $installed | Out-Null
            Copy-Item -Recurse (Join-Path $Package '*') $installed
            $script:ProbeRun = Invoke-PwshRun @('-File', $probeFile, '-ModulesRoot', $ModulesRoot, '-Version', $Version)
            $script:Probe = if ($ProbeRun.ExitCode -eq 0) { ($ProbeRun.Output -join "`n") | ConvertFrom-Json } else { $null }
        }
    }
    finally { Remove-Item $probeFile -ErrorAction SilentlyContinue }
}

AfterAll {
    if ($ModulesRoot) { Remove-Item -Recurse -Force $ModulesRoot -ErrorAction SilentlyContinue }
}

Describe 'build.ps1 -Task Package' -Tag Package {
    It 'succeeds and lays out out/DigestTools/<version>' {
        $PackageRun.ExitCode | Should -Be 0 -Because ($PackageRun.Output -join "`n")
        foreach ($file in 'DigestTools.dll', 'DigestTools.psd1', 'DigestTools.format.ps1xml', 'LICENSE', 'en-US/DigestTools.dll-Help.xml',
            'en-US/about_DigestTools.help.txt', 'dependencies/DigestTools.Engine.dll') {
            Test-Path (Join-Path $Package $file) | Should -BeTrue -Because "$file belongs in the package"
        }
        # PowerShell itself comes from the host, never from the package.
        Get-ChildItem -Recurse $Package -Filter System.Management.Automation.dll | Should -BeNullOrEmpty
    }

    It 'has a manifest ready for the gallery' {
        $m = Import-PowerShellDataFile (Join-Path $Package 'DigestTools.psd1')
        $m.ModuleVersion | Should -Be $Version
        $m.GUID | Should -Match '^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$'
        $m.Author | Should -Not -BeNullOrEmpty
        $m.Description.Length | Should -BeGreaterThan 40
        $m.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $m.PowerShellVersion | Should -Be '5.1'
        $m.FormatsToProcess | Should -Be @('DigestTools.format.ps1xml')
        $m.CmdletsToExport | Should -Be @('Get-ImageDigest', 'Invoke-ImagePull', 'New-PinnedContainer', 'Get-ImageDrift', 'New-PinnedService', 'Update-PinnedService', 'Update-ImagePin', 'Test-ImagePin')
        foreach ($list in 'CmdletsToExport', 'FunctionsToExport', 'VariablesToExport', 'AliasesToExport') {
            @($m[$list]) -join ',' | Should -Not -Match '\*' -Because "$list must not use wildcards"
        }
        $m.PrivateData.PSData.Tags | Should -Contain 'PSEdition_Desktop'
        $m.PrivateData.PSData.Tags | Should -Contain 'PSEdition_Core'
        $m.PrivateData.PSData.ProjectUri | Should -Match '^https://'
        $m.PrivateData.PSData.LicenseUri | Should -Match '^https://.*LICENSE'
        Get-Content (Join-Path $Package 'LICENSE') -Raw | Should -Match 'MIT License'
    }
}

Describe 'The package in a clean pwsh -NoProfile' -Tag Package {
    It 'passes Test-ModuleManifest and imports by name from its version folder' {
        $ProbeRun.ExitCode | Should -Be 0 -Because ($ProbeRun.Output -join "`n")
        $Probe.ManifestName | Should -Be 'DigestTools'
        $Probe.ManifestVersion | Should -Be $Version
        $Probe.ModuleBase | Should -Match ([regex]::Escape("DigestTools$([IO.Path]::DirectorySeparatorChar)$Version") + '$')
    }

    It 'exports exactly the commands the manifest lists' {
        $Probe.Exported | Should -Be @($Manifest.CmdletsToExport | Sort-Object)
        $Probe.ExportedCmdlets | Should -Be @($Manifest.CmdletsToExport | Sort-Object)
    }

    It 'shows the MAML help of every cmdlet and the about topic' {
        foreach ($entry in $Probe.Synopses) {
            $entry.Synopsis | Should -Not -Match ([regex]::Escape($entry.Name) + '\s+\[') -Because "$($entry.Name) needs its written synopsis"
            $entry.Synopsis.Length | Should -BeGreaterThan 40
            $entry.Examples | Should -BeGreaterOrEqual 3
        }
        $Probe.About | Should -BeTrue
    }

    It 'applies the format views' {
        $Probe.FormatTypes | Should -Contain 'DigestTools.PulledImage'
        $Probe.FormatTypes | Should -Contain 'DigestTools.ImageDigestInfo'
        $Probe.Table | Should -Match 'Tag\s+Digest\s+Image ID\s+Repository'
        # The table's short digest and image id, as docker shortens ids.
        $Probe.Table | Should -Match '1\.0\s+sha256:0123456789ab\s+fefefefefefe\s+registry\.example/app'
    }
}
