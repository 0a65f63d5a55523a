<#
    The set-up every engine-backed Pester file shares, in one place. Dot-source it from the file's BeforeAll:
        BeforeAll { . (Join-Path $PSScriptRoot 'EngineTestSetup.ps1') -Purpose engine-pull }
    It imports the built module and the test helpers and sets, in the test file's script scope:
      $TestEnv   the shared environment (Get-TestEnvironment)
      $Run       a short id unique to this run of the file
      $Prefix    <registry>/<Purpose>-<Run>: every repository the file pushes lives under it
      $RunLabel  @{ 'dt-test' = $Run }: Remove-EngineTestArtifact removes the containers carrying it
#>
param([Parameter(Mandatory)] [string] $Purpose)
Import-Module $env:DIGESTTOOLS_MODULE -Force
Import-Module (Join-Path $PSScriptRoot 'infra/TestEnvironment.psm1')
Import-Module (Join-Path $PSScriptRoot 'EngineTestSupport.psm1')
$script:TestEnv = Get-TestEnvironment
$script:Run = New-TestRunId
$script:Prefix = "$($TestEnv.Registry)/$Purpose-$Run"
$script:RunLabel = @{ 'dt-test' = $Run }
