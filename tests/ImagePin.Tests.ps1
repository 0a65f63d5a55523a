#Requires -Version 7.2
# Update-ImagePin and Test-ImagePin against the real registry of the shared test environment, with fixture
# files written here: byte-exact rewrites, a moved tag refreshed, a deleted manifest found missing; Debian's
# docker-compose parses a rewritten compose file and the test dockerd builds FROM a rewritten reference.

BeforeAll {
    # Repositories of this run only ($Prefix): moving or deleting their tags disturbs no other test.
    . (Join-Path $PSScriptRoot 'EngineTestSetup.ps1') -Purpose pinfiles
    $script:Fixtures = $TestEnv.Fixtures
    Copy-TestImage -Source $Fixtures.Oci.Reference -Destination "$Prefix/app:1" -PreserveDigests
    Copy-TestImage -Source $Fixtures.Docker.Reference -Destination "$Prefix/tool:2" -PreserveDigests
    Copy-TestImage -Source $Fixtures.OciIndex.Reference -Destination "$Prefix/multi:1" -All -PreserveDigests
    $script:App = $Fixtures.Oci.Digest
    $script:Tool = $Fixtures.Docker.Digest
    $script:Multi = $Fixtures.OciIndex.Digest

    $script:Work = Join-Path ([IO.Path]::GetTempPath()) "digesttools-pinfiles-$Run"
    New-Item -ItemType Directory -Path $Work | Out-Null

    function Write-Fixture([string] $Name, [string] $Text) {
        $path = Join-Path $Work $Name
        New-Item -ItemType Directory -Force -Path (Split-Path $path) | Out-Null
        [IO.File]::WriteAllBytes($path, [Text.UTF8Encoding]::new($false).GetBytes($Text))
        $path
    }
    # Bytes as hex: an exact comparison whose failure message shows where the files differ.
    function Read-Bytes([string] $Path) { [Convert]::ToHexString([IO.File]::ReadAllBytes($Path)) }
    function ConvertTo-Bytes([string] $Text) { [Convert]::ToHexString([Text.UTF8Encoding]::new($false).GetBytes($Text)) }

    # Output and errors of one call, in the order written.
    function Invoke-Collect([scriptblock] $Script) {
        $ErrorActionPreference = 'Continue'
        $all = @(& $Script 2>&1)
        [pscustomobject]@{
            Output = @($all | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] })
            Errors = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        }
    }
    function Get-ErrorId([System.Management.Automation.ErrorRecord] $Record) { ($Record.FullyQualifiedErrorId -split ',')[0] }
}

AfterAll {
    Remove-Item -Recurse -Force $Work -ErrorAction SilentlyContinue
}

Describe 'Update-ImagePin' -Tag PinFiles {
    It 'pins a multi-stage Dockerfile byte for byte, every form, stages and scratch left alone' {
        $text = @"
# syntax=docker/dockerfile:1
ARG BASE=$Prefix/app:1
ARG UNSET
FROM --platform=linux/arm64 $Prefix/multi:1 AS build
RUN --mount=type=cache,target=/cache,from=$Prefix/tool:2 \
    echo build
COPY --from=$Prefix/app:1 /bin/sh /sh
RUN <<EOF
FROM $Prefix/not-an-image:1
EOF
FROM `${BASE} AS runtime
COPY --from=build /out /out
FROM scratch
FROM runtime
FROM `${UNSET}/app:1

"@
        $path = Write-Fixture 'multistage/Dockerfile' $text
        $expected = $text.Replace("$Prefix/multi:1 AS", "$Prefix/multi:1@$Multi AS").
            Replace("from=$Prefix/tool:2 ", "from=$Prefix/tool:2@$Tool ").
            Replace("--from=$Prefix/app:1 ", "--from=$Prefix/app:1@$App ").
            Replace('FROM ${BASE} AS', "FROM `${BASE}@$App AS")

        $result = Invoke-Collect { Update-ImagePin -Path $path }

        $result.Errors | Should -BeNullOrEmpty
        Read-Bytes $path | Should -Be (ConvertTo-Bytes $expected)
        $result.Output | Should -HaveCount 5
        $result.Output[0] | Should -BeOfType ([DigestTools.ImagePinUpdate])
        @($result.Output | ForEach-Object { "$($_.Line) $($_.Action) $($_.Digest)" }) | Should -Be @(
            "4 Pinned $Multi", "5 Pinned $Tool", "7 Pinned $App", "11 Pinned $App", '15 Skipped ')
        $result.Output[0].Platform | Should -Be 'linux/arm64'
        $result.Output[0].PinnedReference | Should -Be "$Prefix/multi:1@$Multi"
        $result.Output[4].Reason | Should -Be 'the variable UNSET has no default in the file'
    }

    It 'leaves a pinned file as it is on the next run: every pin AlreadyCurrent' {
        $path = Write-Fixture 'again/Dockerfile' "FROM $Prefix/app:1`nCOPY --from=$Prefix/tool:2 / /`n"
        Update-ImagePin -Path $path -ErrorAction Stop | Out-Null
        $pinned = Read-Bytes $path

        $second = Update-ImagePin -Path $path -ErrorAction Stop

        @($second.Action) | Should -Be @('AlreadyCurrent', 'AlreadyCurrent')
        @($second | Where-Object NewReference) | Should -BeNullOrEmpty
        Read-Bytes $path | Should -Be $pinned
    }

    It 'pins a compose file with anchors, comments, quotes and CRLF byte for byte, and docker-compose parses it' {
        $text = "# stack`r`nx-base: &base`r`n  image: `"$Prefix/app:1`"   # shared`r`n  restart: always`r`nservices:`r`n" +
            "  web:`r`n    <<: *base`r`n  worker:`r`n    <<: *base`r`n    command: [`"sh`"]`r`n" +
            "  api:`r`n    image: `${API_IMAGE:-$Prefix/tool}:`${TAG:-2}`r`n  db:`r`n    image: '$Prefix/multi:1'`r`n    platform: linux/amd64`r`n"
        $path = Write-Fixture 'compose/compose.yaml' $text
        $expected = $text.Replace("$Prefix/app:1`"", "$Prefix/app:1@$App`"").
            Replace("`${TAG:-2}`r", "`${TAG:-2}@$Tool`r").
            Replace("'$Prefix/multi:1'", "'$Prefix/multi:1@$Multi'")

        $result = Invoke-Collect { Update-ImagePin -Path (Split-Path $path) }

        $result.Errors | Should -BeNullOrEmpty
        Read-Bytes $path | Should -Be (ConvertTo-Bytes $expected)
        @($result.Output.Context) | Should -Be @('service web', 'service api', 'service db')
        $config = & docker-compose -f $path config 2>&1
        $LASTEXITCODE | Should -Be 0 -Because "$config"
        "$config" | Should -Match ([regex]::Escape("image: $Prefix/app:1@$App"))
        "$config" | Should -Match ([regex]::Escape("image: $Prefix/tool:2@$Tool"))
    }

    It 'pins a compose file whose images come from the .env beside it, and docker-compose reads them the same' {
        $path = Write-Fixture 'envfile/compose.yaml' "services:`n  api:`n    image: `${REGISTRY}/tool:`${TAG:-9}`n  web:`n    image: `"`$REGISTRY/app:`$APP_TAG`"`n  gone:`n    image: `${NOT_ANYWHERE}/x:1`n"
        $envFile = Write-Fixture 'envfile/.env' "# this run's registry`nREGISTRY=$Prefix`nTAG=2 # the release`nAPP_TAG=`"1`"`n"
        $envBytes = Read-Bytes $envFile
        $env:NOT_ANYWHERE = 'set-in-this-session-only'   # the caller's environment is never read
        try {
            $result = Invoke-Collect { Update-ImagePin -Path $path }
            $config = & docker-compose -f $path config 2>&1
            $composeExit = $LASTEXITCODE
        }
        finally { Remove-Item env:NOT_ANYWHERE }

        $result.Errors | Should -BeNullOrEmpty
        @($result.Output.Action) | Should -Be @('Pinned', 'Pinned', 'Skipped')
        $result.Output[2].Reason | Should -Be 'the variable NOT_ANYWHERE has no value in the file or its .env'
        Get-Content -Raw $path | Should -BeExactly ("services:`n  api:`n    image: `${REGISTRY}/tool:`${TAG:-9}@$Tool`n  web:`n" +
            "    image: `"`$REGISTRY/app:`$APP_TAG@$App`"`n  gone:`n    image: `${NOT_ANYWHERE}/x:1`n")
        Read-Bytes $envFile | Should -Be $envBytes -Because 'the .env is read, never written'
        $composeExit | Should -Be 0 -Because "$config"
        "$config" | Should -Match ([regex]::Escape("image: $Prefix/tool:2@$Tool"))
        "$config" | Should -Match ([regex]::Escape("image: $Prefix/app:1@$App"))
    }

    It 'reads files as their own tools do: a hyphenated heredoc word, a service that builds its image, a Helm template' {
        $dockerfile = Write-Fixture 'others/Dockerfile' "FROM $Prefix/app:1 AS base`nRUN <<END-OF-SCRIPT sh`nFROM inside/heredoc:1`nEND-OF-SCRIPT`nFROM $Prefix/tool:2`n"
        $compose = Write-Fixture 'others/compose.yaml' "services:`n  app:`n    build: .`n    image: $Prefix/app:1`n  db:`n    image: $Prefix/tool:2`n"
        $template = Write-Fixture 'others/chart/templates/pod.yaml' ("kind: Pod`nmetadata: {name: p}`nspec:`n  containers:`n" +
            "  - name: a`n    image: `"{{ .Values.image }}`"`n  - name: b`n    image: $Prefix/app:1`n")

        $result = Invoke-Collect { Update-ImagePin -Path (Join-Path $Work 'others') -Recurse }

        $result.Errors | Should -BeNullOrEmpty
        Get-Content -Raw $dockerfile | Should -BeExactly "FROM $Prefix/app:1@$App AS base`nRUN <<END-OF-SCRIPT sh`nFROM inside/heredoc:1`nEND-OF-SCRIPT`nFROM $Prefix/tool:2@$Tool`n"
        Get-Content -Raw $compose | Should -BeExactly "services:`n  app:`n    build: .`n    image: $Prefix/app:1`n  db:`n    image: $Prefix/tool:2@$Tool`n"
        Get-Content -Raw $template | Should -BeExactly ("kind: Pod`nmetadata: {name: p}`nspec:`n  containers:`n" +
            "  - name: a`n    image: `"{{ .Values.image }}`"`n  - name: b`n    image: $Prefix/app:1@$App`n")
        $skipped = @($result.Output | Where-Object Action -eq Skipped)
        @($skipped.Reference) | Should -Be @('{{ .Values.image }}')
        $skipped[0].Reason | Should -Be 'the reference is a template expression ({{ }}), filled in only when the template is rendered'
        @($result.Output | Where-Object Action -eq Pinned).Count | Should -Be 4
    }

    It 'pins a multi-document Kubernetes file (Pod, CronJob, List) byte for byte' {
        $text = @"
apiVersion: v1
kind: Pod
metadata: {name: debug}
spec:
  initContainers:
  - name: init
    image: $Prefix/tool:2   # init
  containers:
  - {name: main, image: "$Prefix/app:1"}
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
spec:
  schedule: '0 3 * * *'
  jobTemplate:
    spec:
      template:
        spec:
          containers:
            - name: job
              image: $Prefix/multi:1
---
apiVersion: v1
kind: List
items:
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: web}
  spec:
    template:
      spec:
        containers:
        - name: web
          image: '$Prefix/app:1'
- apiVersion: v1
  kind: Service
  metadata: {name: web}
  spec: {ports: [{port: 80}]}

"@
        $path = Write-Fixture 'k8s/all.yml' $text
        $expected = $text.Replace("tool:2   #", "tool:2@$Tool   #").
            Replace("`"$Prefix/app:1`"", "`"$Prefix/app:1@$App`"").
            Replace("multi:1`n", "multi:1@$Multi`n").
            Replace("'$Prefix/app:1'", "'$Prefix/app:1@$App'")

        $result = Invoke-Collect { Update-ImagePin -Path $path }

        $result.Errors | Should -BeNullOrEmpty
        Read-Bytes $path | Should -Be (ConvertTo-Bytes $expected)
        @($result.Output.Context) | Should -Be @('Pod/debug initContainers[init]', 'Pod/debug containers[main]',
            'CronJob/nightly containers[job]', 'Deployment/web containers[web]')
    }

    It 'refreshes a pin whose tag moved only with -Refresh' {
        $moving = "$Prefix/moving:1"
        Copy-TestImage -Source $Fixtures.Oci.Reference -Destination $moving -PreserveDigests
        $path = Write-Fixture 'moving/Dockerfile' "FROM $moving`n"
        (Update-ImagePin -Path $path -ErrorAction Stop).Action | Should -Be 'Pinned'
        Copy-TestImage -Source $Fixtures.OciAlt.Reference -Destination $moving -PreserveDigests

        $check = Test-ImagePin -Path $path
        $check.Status | Should -Be 'TagMoved'
        $check.Digest | Should -Be $Fixtures.Oci.Digest
        $check.CurrentDigest | Should -Be $Fixtures.OciAlt.Digest

        $kept = Update-ImagePin -Path $path -ErrorAction Stop
        $kept.Action | Should -Be 'Skipped'
        $kept.Reason | Should -Be "the tag now names $($Fixtures.OciAlt.Digest); -Refresh rewrites the pin"
        Get-Content -Raw $path | Should -Be "FROM $moving@$($Fixtures.Oci.Digest)`n"

        $refreshed = Update-ImagePin -Path $path -Refresh -ErrorAction Stop
        $refreshed.Action | Should -Be 'Refreshed'
        Get-Content -Raw $path | Should -Be "FROM $moving@$($Fixtures.OciAlt.Digest)`n"
        (Test-ImagePin -Path $path).Status | Should -Be 'Pinned'
    }

    It 'writes PinPathNotFound (missing, not a file system path), PinFileInvalid and PinFileUnreadable (not UTF-8) per path and pins the other files' {
        $good = Write-Fixture 'mixed/Dockerfile' "FROM $Prefix/app:1`n"
        $bad = Write-Fixture 'mixed/broken.yaml' "services: [unclosed`n"
        $latin1 = Join-Path $Work 'mixed/latin1.Dockerfile'
        [IO.File]::WriteAllBytes($latin1, [byte[]](0x46, 0x52, 0x4F, 0x4D, 0x20, 0x63, 0x61, 0x66, 0xE9, 0x0A))   # "FROM caf\xE9"
        $missing = Join-Path $Work 'mixed/absent/Dockerfile'

        $result = Invoke-Collect { Update-ImagePin -Path $missing, 'Env:HOME', (Split-Path $good) }

        @($result.Errors | ForEach-Object { Get-ErrorId $_ }) | Should -Be @('PinPathNotFound', 'PinPathNotFound', 'PinFileInvalid', 'PinFileUnreadable')
        $result.Errors[3].TargetObject | Should -Be $latin1
        $result.Errors[3].Exception.Message | Should -Be "Cannot read $latin1`: The file is not UTF-8 text."
        $result.Errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $result.Errors[1].TargetObject | Should -Be 'Env:HOME'
        $result.Errors[2].CategoryInfo.Category | Should -Be 'ParserError'
        $result.Errors[2].TargetObject | Should -Be $bad
        $result.Output.Action | Should -Be 'Pinned'
        Get-Content -Raw $good | Should -Be "FROM $Prefix/app:1@$App`n"
    }

    It 'fails the compose files beside an unreadable .env with PinFileUnreadable and pins the Kubernetes manifest beside them' {
        $manifest = Write-Fixture 'lockedenv/deploy.yaml' "kind: Pod`nmetadata: {name: web}`nspec:`n  containers:`n  - {name: web, image: $Prefix/app:1}`n"
        $compose = Write-Fixture 'lockedenv/compose.yaml' "services:`n  api:`n    image: $Prefix/tool:`${TAG}`n"
        $envFile = Write-Fixture 'lockedenv/.env' "TAG=2`n"
        $composeBytes = Read-Bytes $compose

        # Opened without sharing, the .env cannot be read by anyone else (root included) until it is closed.
        $lock = [IO.File]::Open($envFile, 'Open', 'ReadWrite', 'None')
        try { $result = Invoke-Collect { Update-ImagePin -Path (Split-Path $manifest) } }
        finally { $lock.Dispose() }

        @($result.Errors | ForEach-Object { Get-ErrorId $_ }) | Should -Be @('PinFileUnreadable')
        $result.Errors[0].CategoryInfo.Category | Should -Be 'ReadError'
        $result.Errors[0].TargetObject | Should -Be $compose
        $result.Errors[0].Exception.Message | Should -BeLike "Cannot read the .env file beside $compose`: *"
        @($result.Output.Action) | Should -Be @('Pinned')
        Get-Content -Raw $manifest | Should -BeExactly "kind: Pod`nmetadata: {name: web}`nspec:`n  containers:`n  - {name: web, image: $Prefix/app:1@$App}`n"
        Read-Bytes $compose | Should -Be $composeBytes
    }

    It 'reports a reference the registry does not know as ManifestUnknown and leaves it as written' {
        $path = Write-Fixture 'unknown/Dockerfile' "FROM $Prefix/app:1`nFROM $Prefix/app:no-such-tag`n"

        $result = Invoke-Collect { Update-ImagePin -Path $path }

        $result.Errors | Should -HaveCount 1
        Get-ErrorId $result.Errors[0] | Should -Be 'ManifestUnknown'
        $result.Errors[0].TargetObject.Line | Should -Be 2
        Get-Content -Raw $path | Should -Be "FROM $Prefix/app:1@$App`nFROM $Prefix/app:no-such-tag`n"
    }
}

Describe 'Test-ImagePin' -Tag PinFiles {
    It 'finds a deleted manifest PinMissing, and reports Unpinned and Unresolvable references' {
        $gone = "$Prefix/gone:1"
        $digest = Copy-TestImage -Source $Fixtures.Docker.Reference -Destination $gone -PreserveDigests -PassThru
        $path = Write-Fixture 'check/Dockerfile' "ARG NOPE`nFROM $gone@$digest`nFROM $Prefix/app:1@$App`nFROM $Prefix/tool:2`nFROM `${NOPE}`n"
        $repository = $gone -replace '^[^/]+/' -replace ':1$'
        Invoke-RestMethod -Method Delete -Uri "http://$($TestEnv.Registry)/v2/$repository/manifests/$digest" | Out-Null

        $checks = Test-ImagePin -Path $path

        @($checks | ForEach-Object { "$($_.Line) $($_.Status)" }) | Should -Be @('2 PinMissing', '3 Pinned', '4 Unpinned', '5 Unresolvable')
        $checks[0] | Should -BeOfType ([DigestTools.ImagePinCheck])
        $checks[3].Reason | Should -Be 'the variable NOPE has no default in the file'
    }

    It 'finds a pinned index PinMissing for a platform it does not have' {
        $path = Write-Fixture 'platform/Dockerfile' "FROM --platform=linux/s390x $Prefix/multi:1@$Multi`nFROM --platform=linux/arm64 $Prefix/multi:1@$Multi`n"

        @((Test-ImagePin -Path $path).Status) | Should -Be @('PinMissing', 'Pinned')
    }

    It '-Strict ends with ImagePinCheckFailed after writing every result' {
        $path = Write-Fixture 'strict/Dockerfile' "FROM $Prefix/app:1@$App`nFROM $Prefix/tool:2`n"
        $written = [System.Collections.Generic.List[object]]::new()

        $failure = { Test-ImagePin -Path $path -Strict | ForEach-Object { $written.Add($_) } } | Should -Throw -PassThru

        Get-ErrorId $failure | Should -Be 'ImagePinCheckFailed'
        $failure.CategoryInfo.Category | Should -Be 'InvalidResult'
        $failure.Exception.Message | Should -Match ([regex]::Escape("${path}:2 $Prefix/tool:2: Unpinned"))
        @($written.Status) | Should -Be @('Pinned', 'Unpinned')
    }

    It '-Strict passes quietly when every reference is Pinned' {
        $path = Write-Fixture 'strict-ok/Dockerfile' "FROM $Prefix/app:1@$App`nCOPY --from=$Prefix/tool:2@$Tool / /`n"

        @((Test-ImagePin -Path $path -Strict -ErrorAction Stop).Status) | Should -Be @('Pinned', 'Pinned')
    }
}

Describe 'From a shell, as CI and a reviewer run them' -Tag PinFiles {
    # One child pwsh (starting one costs seconds on a busy machine) runs both commands.
    It 'Update-ImagePin -WhatIf shows file:line: old -> new and writes nothing; Test-ImagePin -Strict exits non-zero' {
        $path = Write-Fixture 'shell/app/Dockerfile' "FROM $Prefix/app:1`n"
        $before = Read-Bytes $path
        $script = "Import-Module '$env:DIGESTTOOLS_MODULE'; Update-ImagePin -Path '$path' -WhatIf; " +
            "Test-ImagePin -Path '$(Split-Path (Split-Path $path))' -Recurse -Strict | Out-Null"

        $shown = Invoke-ChildPwsh @('-Command', $script) *>&1 | Out-String
        $exitCode = $LASTEXITCODE

        $shown | Should -Match ([regex]::Escape("${path}:1: $Prefix/app:1 -> $Prefix/app:1@$App"))
        $shown | Should -Match ([regex]::Escape('1 of 1 image reference(s) are not pinned to a current digest'))
        $exitCode | Should -Not -Be 0
        Read-Bytes $path | Should -Be $before
    }
}

Describe 'A rewritten Dockerfile builds on the engine' -Tag PinFiles, Engine {
    It 'dockerd pulls and builds FROM the name:tag@digest Update-ImagePin wrote' {
        $path = Write-Fixture 'build/Dockerfile' "FROM $Prefix/app:1`nLABEL io.digesttools.test=pinfiles`n"
        Update-ImagePin -Path $path -ErrorAction Stop | Out-Null
        $tag = "digesttools-pinfiles:$(New-TestRunId)"
        $env:DOCKER_BUILDKIT = '0'
        try {
            Invoke-DockerCli $TestEnv.DockerHost build -q -t $tag (Split-Path $path) | Out-Null
            $pulled = Invoke-DockerCli $TestEnv.DockerHost image inspect --format '{{json .RepoDigests}}' "$Prefix/app@$App"
            "$pulled" | Should -Match ([regex]::Escape("$Prefix/app@$App"))
        }
        finally {
            Remove-Item Env:DOCKER_BUILDKIT
            & docker -H $TestEnv.DockerHost image rm -f $tag "$Prefix/app@$App" *> $null
        }
    }
}
