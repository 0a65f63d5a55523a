# Help as a user sees it (Get-Help on the built module), and the committed en-US/DigestTools.dll-Help.xml
# kept identical to what src/help/ConvertTo-MamlHelp.ps1 generates from the current cmdlets and markdown.
BeforeDiscovery {
    $module = Import-Module $env:DIGESTTOOLS_MODULE -Force -PassThru
    $commands = @($module.ExportedCmdlets.Keys | Sort-Object | ForEach-Object { @{ Name = $_ } })
}

BeforeAll {
    Import-Module $env:DIGESTTOOLS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'infra/TestEnvironment.psm1')
    $script:RepoRoot = Split-Path $PSScriptRoot
    $script:Common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
}

Describe 'Get-Help <Name>' -Tag Help -ForEach $commands {
    BeforeAll {
        $script:Help = Get-Help $Name -Full
        $script:Command = Get-Command $Name
    }

    It 'has a written synopsis, not the syntax PowerShell makes up without help' {
        $synopsis = "$($Help.Synopsis)".Trim()
        $synopsis | Should -Not -BeNullOrEmpty
        $synopsis | Should -Not -Match ([regex]::Escape($Name) + '\s+\[')
        $synopsis.Length | Should -BeGreaterThan 40
    }

    It 'has a description' {
        ($Help.description.Text -join ' ').Length | Should -BeGreaterThan 200
    }

    It 'describes every parameter' {
        $parameters = @($Command.Parameters.Keys | Where-Object { $_ -notin $Common })
        $parameters.Count | Should -BeGreaterThan 0
        foreach ($parameter in $parameters) {
            $entry = @($Help.parameters.parameter | Where-Object name -eq $parameter)
            $entry.Count | Should -Be 1 -Because "-$parameter must appear once in the help"
            ($entry[0].description.Text -join ' ').Trim() | Should -Not -BeNullOrEmpty -Because "-$parameter needs a description"
        }
    }

    It 'reports the parameter metadata from the code (type, position, pipeline input, default)' {
        foreach ($entry in $Help.parameters.parameter) {
            $metadata = $Command.Parameters[$entry.name]
            $entry.type.name | Should -Be $metadata.ParameterType.FullName -Because "-$($entry.name)"
            $byValue = [bool]($metadata.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and $_.ValueFromPipeline })
            ($entry.pipelineInput -match 'ByValue') | Should -Be $byValue -Because "-$($entry.name) pipeline input"
        }
    }

    It 'has at least three examples, each with code that parses' {
        $examples = @($Help.examples.example)
        $examples.Count | Should -BeGreaterOrEqual 3
        foreach ($example in $examples) {
            $code = "$($example.code)"
            $code.Trim() | Should -Not -BeNullOrEmpty
            $tokens = $null; $errors = $null
            [System.Management.Automation.Language.Parser]::ParseInput($code, [ref] $tokens, [ref] $errors) | Out-Null
            $errors | Should -BeNullOrEmpty -Because "example '$($example.title)' must parse"
            $code | Should -Match ([regex]::Escape($Name)) -Because 'an example shows the cmdlet itself'
        }
    }

    It 'documents every declared output type' {
        $documented = @($Help.returnValues.returnValue | ForEach-Object { $_.type.name })
        foreach ($type in $Command.OutputType.Name) { $documented | Should -Contain $type }
    }

    It 'has related links' {
        @($Help.relatedLinks.navigationLink).Count | Should -BeGreaterOrEqual 2
    }

    It 'shows -WhatIf and -Confirm in SYNTAX and PARAMETERS exactly when the cmdlet supports them' {
        $supports = $Command.Parameters.ContainsKey('WhatIf')
        # Whitespace removed: a long SYNTAX line is wrapped at the width, sometimes inside a token.
        $syntax = (Get-Help $Name | Select-Object -ExpandProperty syntax | Out-String -Width 300) -replace '\s+', ''
        foreach ($parameter in 'WhatIf', 'Confirm') {
            $syntax -match "\[-$parameter\]" | Should -Be $supports -Because "SYNTAX of $Name and -$parameter"
            [bool]($Help.parameters.parameter | Where-Object name -eq $parameter) | Should -Be $supports
        }
        if ($supports) {
            # In every parameter set's line, not just one.
            @($Help.syntax.syntaxItem).Count | Should -Be $Command.ParameterSets.Count
            foreach ($item in $Help.syntax.syntaxItem) { $item.parameter.name | Should -Contain 'WhatIf' }
        }
    }

    It 'sends Get-Help -Online to this module''s page for the cmdlet, not to a spec' {
        $projectUri = (Import-PowerShellDataFile (Join-Path $RepoRoot 'DigestTools.psd1')).PrivateData.PSData.ProjectUri.TrimEnd('/')
        # The URI Get-Help -Online opens (PowerShell resolves it the same way for Get-Command's HelpUri).
        $Command.HelpUri | Should -Be "$projectUri/blob/main/src/help/$Name.md"
        Join-Path $RepoRoot "src/help/$Name.md" | Should -Exist
    }
}

Describe 'OutputType' -Tag Help {
    It '<Name> declares its output type' -ForEach $commands {
        @((Get-Command $Name).OutputType).Count | Should -BeGreaterThan 0
    }
}

Describe 'about_DigestTools' -Tag Help {
    It 'is found by Get-Help' {
        $text = Get-Help about_DigestTools | Out-String
        $text | Should -Match 'about_DigestTools'
        $text | Should -Match 'ERROR IDS'
    }

    # Catalog <-> about_DigestTools in both directions: tests/DigestTools.Tests/ErrorCatalogTests.cs.
}

Describe 'Error catalog as PowerShell sees it' -Tag Help {
    BeforeAll {
        $script:EngineAssembly = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'DigestTools.Engine' } | Select-Object -First 1
        if (-not $EngineAssembly) {
            $null = [DigestTools.ImageReference]::Parse('busybox')   # loads the engine assembly
            $script:EngineAssembly = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'DigestTools.Engine' } | Select-Object -First 1
        }
    }

    It 'FailureCategory mirrors ErrorCategory member for member, value for value' {
        $mirror = $EngineAssembly.GetType('DigestTools.Engine.Errors.FailureCategory', $true)
        foreach ($name in [Enum]::GetNames($mirror)) {
            [int][Enum]::Parse([System.Management.Automation.ErrorCategory], $name) | Should -Be ([int][Enum]::Parse($mirror, $name)) -Because $name
        }
        [Enum]::GetNames($mirror).Count | Should -Be ([Enum]::GetNames([System.Management.Automation.ErrorCategory]).Count)
    }

    It 'lets a script catch [DigestTools.DigestToolsException] and read its ErrorId' {
        $caught = $null
        try { Get-ImageDigest 'Not/A/Valid/Name' -ErrorAction Stop }
        catch [DigestTools.DigestToolsException] { $caught = $_ }
        $caught | Should -Not -BeNullOrEmpty
        $caught.Exception.ErrorId | Should -Be 'InvalidReference'
        $caught.Exception.Category | Should -Be 'InvalidArgument'
        $caught.FullyQualifiedErrorId | Should -Be 'InvalidReference,DigestTools.GetImageDigestCommand'
    }
}

Describe 'Committed MAML help' -Tag Help {
    It 'en-US/DigestTools.dll-Help.xml is what the generator makes from the current code' {
        $generated = Join-Path ([System.IO.Path]::GetTempPath()) "dt-help-$([guid]::NewGuid().ToString('n')).xml"
        try {
            # A child process, as the build does: the generator imports the module itself.
            Invoke-ChildPwsh @('-File', (Join-Path $RepoRoot 'src/help/ConvertTo-MamlHelp.ps1'), '-ModulePath', $env:DIGESTTOOLS_MODULE, '-OutputFile', $generated) | Out-Null
            $LASTEXITCODE | Should -Be 0
            $expected = (Get-Content $generated -Raw) -replace "`r`n", "`n"
            $committed = (Get-Content (Join-Path $RepoRoot 'en-US/DigestTools.dll-Help.xml') -Raw) -replace "`r`n", "`n"
            $committed | Should -BeExactly $expected -Because 'help drifted from the code: run build.ps1 and copy out/DigestTools/en-US/DigestTools.dll-Help.xml to en-US/'
        }
        finally { Remove-Item $generated -ErrorAction SilentlyContinue }
    }

    It 'is the help file the built module ships' {
        $shipped = Join-Path $env:DIGESTTOOLS_MODULE 'en-US/DigestTools.dll-Help.xml'
        Test-Path $shipped | Should -BeTrue
        [regex]::Matches((Get-Content $shipped -Raw), '<command:command[\s>]').Count | Should -Be (Get-Command -Module DigestTools -CommandType Cmdlet).Count
    }
}
