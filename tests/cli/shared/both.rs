//! The command-line tests, run unchanged on a shared PostgreSQL store: each listed test runs
//! again with every `TestEnv` it makes pointed at a test store of its own (`env::on_postgresql`),
//! its officer a login of office `t`, the example rules put in force for the office where a
//! test sets `SITREP_RULES`. What only a file has (its bytes, SQLite, `backup`, a rules file in
//! the working directory) is left out, and so is a snapshot of entry hashes (an id is hashed,
//! and a shared store's ids carry the office's code).

/// A test that runs the listed tests on a shared store, one after another.
macro_rules! on_postgresql {
    ($name:ident: $($test:path),+ $(,)?) => {
        #[test]
        fn $name() {
            $(crate::env::on_postgresql(stringify!($test), $test);)+
        }
    };
}

on_postgresql!(
    regimes:
    crate::regimes::decree_493::decree_493_each_level_within_two_hours_of_its_own_receipt,
    crate::regimes::decree_493::decree_493_after_a_reclassification_each_level_counts_from_its_receipt_of_the_new_class,
    crate::regimes::decree_493::decree_493_parties_beside_the_chain_are_due_but_never_bypassed,
    crate::regimes::decree_493::decree_493_after_a_bypass_the_county_is_still_owed,
    crate::regimes::dora::dora_four_hours_after_classification_but_no_later_than_24_after_awareness,
    crate::regimes::dora::dora_classified_after_24_hours_owes_the_initial_notification_within_4_hours,
    crate::regimes::dora::dora_the_final_report_is_due_a_month_after_the_latest_intermediate_report,
    crate::regimes::nis2::nis2_and_gdpr_stages_and_a_month_that_ends_early,
    crate::regimes::osha::osha_eight_hours_for_a_death_learned_later_and_24_for_a_hospitalization,
    crate::regimes::osha::osha_a_motor_vehicle_accident_on_a_public_road_is_not_reported,
    crate::regimes::sec::sec_8k_four_business_days_skipping_a_holiday_until_1730,
    crate::regimes::sec::sec_8k_filed_at_1730_exactly_is_on_time_and_a_determination_cannot_be_lowered,
);

on_postgresql!(
    deadlines:
    crate::deadlines::a_bypassed_level_stays_in_the_deadlines_until_it_is_told,
    crate::deadlines::since_counts_back_from_the_moment_asked_about,
    crate::deadlines::measures_in_a_follow_up_complete_the_initial_report,
    crate::deadlines::a_past_days_digest_is_consistent_in_itself,
    crate::deadlines::dst_advice_uses_the_rules_zone,
    crate::deadlines::a_change_of_class_says_when_its_deadlines_start,
    crate::deadlines::after_a_follow_up_the_next_one_is_in_the_deadlines,
);

on_postgresql!(
    typed:
    crate::typed::labels_are_accepted_wherever_ids_are,
    crate::typed::an_unknown_value_names_the_nearest_one,
    crate::typed::a_time_of_day_later_than_now_is_yesterday_said_so_or_refused_for_an_entry,
    crate::typed::file_says_the_class_and_why,
);

on_postgresql!(
    review:
    crate::review::a_reviewed_late_step_no_longer_mails_cron_and_a_new_violation_does,
    crate::review::refused_reviews_write_nothing,
    crate::review::a_content_finding_is_reviewed_and_the_review_survives_export_and_import,
);

on_postgresql!(
    officer:
    crate::officer::file_prints_the_id_then_the_deadlines_running,
    crate::officer::ids_count_within_the_day_of_the_known_time,
    crate::officer::show_json_round_trips_every_field_a_command_accepted,
    crate::officer::rising_figures_reclassify_and_say_so,
    crate::officer::figures_after_the_casualty_window_are_kept_but_do_not_reclassify,
    crate::officer::backfilled_entries_are_marked,
    crate::officer::close_then_nothing_but_corrections,
    crate::officer::a_correction_stays_beside_the_original,
    crate::officer::correct_refuses_what_the_entry_does_not_have,
    crate::officer::the_written_report_has_its_six_parts,
    crate::officer::list_filters_and_formats,
    crate::officer::writing_commands_speak_json_for_scripts,
);

on_postgresql!(
    check:
    crate::check::every_finding_kind_at_three_instants,
    crate::check::the_table_groups_by_incident_and_quiet_is_silent_when_clean,
    crate::check::due_soon_alone_is_not_a_violation,
    crate::check::scope_is_open_plus_closed_in_the_last_day,
);

on_postgresql!(
    digest:
    crate::digest::window_boundaries_are_half_open,
    crate::digest::an_empty_day_is_a_complete_digest,
    crate::digest::the_default_is_the_latest_complete_day,
    crate::digest::csv_is_one_row_per_incident_touched_and_safe,
    crate::digest::markdown_names_every_incident_touched_in_chinese,
    crate::digest::the_table_is_for_a_terminal,
);

on_postgresql!(
    transfer:
    crate::transfer::export_writes_one_incident_a_line_in_the_shape_of_show,
    crate::transfer::reclassifications_are_derived_again,
    crate::transfer::a_bad_line_is_refused_by_number_and_nothing_is_written,
);

on_postgresql!(
    written_report:
    crate::written_report::part_one_is_the_unit_where_it_happened,
    crate::written_report::counts_carry_people_and_the_loss_is_its_own_line,
    crate::written_report::follow_ups_are_numbered,
    crate::written_report::a_report_is_the_incident_as_it_stood_then,
    crate::written_report::report_takes_a_report_entry,
);
