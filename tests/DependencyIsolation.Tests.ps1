#Requires -Version 7.2
# The engine assembly's dependencies load in a private AssemblyLoadContext, so a session that already holds
# an older copy (Az modules in runbooks do this) cannot break DigestTools. Proven in a fresh pwsh: load
# Microsoft.Extensions.Logging.Abstractions 2.1.0 first, then import DigestTools and resolve a digest. The
# registry client logs through ILogger, so that resolution really needs the assembly (version 8.0).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'infra/TestEnvironment.psm1')
    $script:TestEnv = Get-TestEnvironment

    # The older assembly comes from NuGet like Pester does in build.ps1: a throwaway project, PackageDownload.
    $toolsDir = Join-Path (Split-Path $PSScriptRoot) '.tools'
    $script:OldAssembly = Join-Path $toolsDir 'microsoft.extensions.logging.abstractions/2.1.0/lib/netstandard2.0/Microsoft.Extensions.Logging.Abstractions.dll'
    if (-not (Test-Path $OldAssembly)) {
        $project = Join-Path $toolsDir 'isolation-restore/restore.csproj'
        New-Item -ItemType Directory -Force -Path (Split-Path $project) | Out-Null
        Set-Content -Path $project -Value @'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>netstandard2.0</TargetFramework></PropertyGroup>
  <ItemGroup><PackageDownload Include="Microsoft.Extensions.Logging.Abstractions" Version="[2.1.0]" /></ItemGroup>
</Project>
'@
        & dotnet restore $project --packages $toolsDir --nologo -v q | Out-Null
        if ($LASTEXITCODE -ne 0) { throw "dotnet restore of Microsoft.Extensions.Logging.Abstractions 2.1.0 failed ($LASTEXITCODE)" }
    }

    # Runs in the child: reports what was resolved and which assembly versions each load context holds.
    $script:ChildScript = Join-Path $TestDrive 'isolation-child.ps1'
    Set-Content -Path $ChildScript -Value @'
param([string] $OldAssembly, [string] $ModulePath, [string] $Reference)
$ErrorActionPreference = 'Stop'
Add-Type -Path $OldAssembly
Import-Module $ModulePath
$info = Get-ImageDigest $Reference
$alc = [System.Runtime.Loader.AssemblyLoadContext]
$name = 'Microsoft.Extensions.Logging.Abstractions'
$engine = [System.AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'DigestTools.Engine' }
$engineContext = $alc::GetLoadContext($engine)
[pscustomobject]@{
    Digest              = $info.Digest
    EngineContext       = $engineContext.Name
    EngineContextIsDefault = [object]::ReferenceEquals($engineContext, $alc::Default)
    EngineLoggingVersion = @($engineContext.Assemblies | Where-Object { $_.GetName().Name -eq $name } | ForEach-Object { $_.GetName().Version.ToString() })
    DefaultLoggingVersion = @($alc::Default.Assemblies | Where-Object { $_.GetName().Name -eq $name } | ForEach-Object { $_.GetName().Version.ToString() })
} | ConvertTo-Json -Compress
'@
}

Describe 'Dependency isolation' -Tag Registry {
    It 'Get-ImageDigest works in a session that loaded an older Microsoft.Extensions.Logging.Abstractions first' {
        $output = Invoke-ChildPwsh @('-File', $ChildScript, '-OldAssembly', $OldAssembly, '-ModulePath', $env:DIGESTTOOLS_MODULE, '-Reference', $TestEnv.Fixtures.Oci.Reference) 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($output -join "`n")
        $report = ($output | Select-Object -Last 1) | ConvertFrom-Json

        $report.Digest | Should -Be $TestEnv.Fixtures.Oci.Digest
        # The session's copy is the old one, the engine's is its own: both were loaded, side by side.
        $report.DefaultLoggingVersion | Should -Be @('2.1.0.0')
        $report.EngineContextIsDefault | Should -BeFalse
        $report.EngineLoggingVersion | Should -Be @('8.0.0.0')
    }
}
