#Requires -Version 7.2
# The engine assembly's dependencies load in a private AssemblyLoadContext that is asked only after the
# session's default context failed (src/DigestTools/Loading/IsolatedLoadContext.cs). Proven in fresh pwsh
# processes that load Microsoft.Extensions.Logging.Abstractions before importing DigestTools and resolving a
# digest (the registry client logs through ILogger, so that resolution really needs the assembly, 8.0):
# - an older copy (2.1.0, as Az modules in runbooks bring) never serves DigestTools: its own loads beside it;
# - a same-or-newer copy (9.0.0) is what DigestTools then uses: the private context holds no copy of its own.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'infra/TestEnvironment.psm1')
    $script:TestEnv = Get-TestEnvironment

    function Get-LoggingAbstractions([string] $Version) {
        # From NuGet like Pester in build.ps1: a throwaway project, PackageDownload.
        $toolsDir = Join-Path (Split-Path $PSScriptRoot) '.tools'
        $assembly = Join-Path $toolsDir "microsoft.extensions.logging.abstractions/$Version/lib/netstandard2.0/Microsoft.Extensions.Logging.Abstractions.dll"
        if (Test-Path $assembly) { return $assembly }
        $project = Join-Path $toolsDir "isolation-restore-$Version/restore.csproj"
        New-Item -ItemType Directory -Force -Path (Split-Path $project) | Out-Null
        Set-Content -Path $project -Value @"
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>netstandard2.0</TargetFramework></PropertyGroup>
  <ItemGroup><PackageDownload Include="Microsoft.Extensions.Logging.Abstractions" Version="[$Version]" /></ItemGroup>
</Project>
"@
        & dotnet restore $project --packages $toolsDir --nologo -v q | Out-Null
        if ($LASTEXITCODE -ne 0) { throw "dotnet restore of Microsoft.Extensions.Logging.Abstractions $Version failed ($LASTEXITCODE)" }
        $assembly
    }

    # Runs in the child: reports what was resolved and which assembly versions each load context holds.
    $script:ChildScript = Join-Path $TestDrive 'isolation-child.ps1'
    Set-Content -Path $ChildScript -Value @'
param([string] $SessionAssembly, [string] $ModulePath, [string] $Reference)
$ErrorActionPreference = 'Stop'
if ($SessionAssembly) { Add-Type -Path $SessionAssembly }
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
    EngineLocation      = $engine.Location
    EngineLoggingVersion = @($engineContext.Assemblies | Where-Object { $_.GetName().Name -eq $name } | ForEach-Object { $_.GetName().Version.ToString() })
    DefaultLoggingVersion = @($alc::Default.Assemblies | Where-Object { $_.GetName().Name -eq $name } | ForEach-Object { $_.GetName().Version.ToString() })
} | ConvertTo-Json -Compress
'@

    function Invoke-IsolationChild([string] $SessionAssembly) {
        $arguments = @('-File', $ChildScript, '-ModulePath', $env:DIGESTTOOLS_MODULE, '-Reference', $TestEnv.Fixtures.Oci.Reference)
        if ($SessionAssembly) { $arguments += @('-SessionAssembly', $SessionAssembly) }
        $output = Invoke-ChildPwsh $arguments 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($output -join "`n")
        ($output | Select-Object -Last 1) | ConvertFrom-Json
    }
}

Describe 'Dependency isolation' -Tag Registry {
    It 'Get-ImageDigest works in a session that loaded an older Microsoft.Extensions.Logging.Abstractions first' {
        $report = Invoke-IsolationChild (Get-LoggingAbstractions '2.1.0')

        $report.Digest | Should -Be $TestEnv.Fixtures.Oci.Digest
        # The session's copy is the old one, the engine's is its own: both were loaded, side by side.
        $report.DefaultLoggingVersion | Should -Be @('2.1.0.0')
        $report.EngineContextIsDefault | Should -BeFalse
        $report.EngineLoggingVersion | Should -Be @('8.0.0.0')
    }

    It 'Get-ImageDigest uses the session''s copy when the session already loaded a newer one' {
        $report = Invoke-IsolationChild (Get-LoggingAbstractions '9.0.0')

        $report.Digest | Should -Be $TestEnv.Fixtures.Oci.Digest
        # The default context answered the engine's 8.0 request with its 9.0: no second copy was loaded.
        $report.DefaultLoggingVersion | Should -Be @('9.0.0.0')
        $report.EngineContextIsDefault | Should -BeFalse
        $report.EngineLoggingVersion | Should -BeNullOrEmpty
    }
}

Describe 'Engine compiled ahead of time' -Tag Registry {
    It 'PowerShell 7 loads the engine from the copy precompiled for its runtime and platform' {
        $dependencies = Join-Path $env:DIGESTTOOLS_MODULE 'dependencies'
        $set = 'net{0}.0-{1}' -f [Environment]::Version.Major, [System.Runtime.InteropServices.RuntimeInformation]::RuntimeIdentifier
        # build.ps1 makes this machine's copy whenever the package ships one for it (linux-x64 and win-x64, .NET 8 and 10).
        Join-Path $dependencies "$set/DigestTools.Engine.dll" | Should -Exist

        $report = Invoke-IsolationChild
        $report.Digest | Should -Be $TestEnv.Fixtures.Oci.Digest
        $report.EngineLocation | Should -Be (Join-Path $dependencies "$set/DigestTools.Engine.dll")
        # Every assembly of that copy carries native code (a ReadyToRun header), not only IL.
        foreach ($file in Get-ChildItem (Join-Path $dependencies $set) -Filter *.dll) {
            $stream = [IO.File]::OpenRead($file.FullName)
            try { $native = ([System.Reflection.PortableExecutable.PEReader]::new($stream)).PEHeaders.CorHeader.ManagedNativeHeaderDirectory.Size }
            finally { $stream.Dispose() }
            $native | Should -BeGreaterThan 0 -Because "$($file.Name) should be compiled ahead of time"
        }
    }
}
